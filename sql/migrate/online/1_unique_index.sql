-- Online migration, step 1: the unique index on (key, time column) that becomes the old table's primary key at the
-- switch (a partition of a table with PRIMARY KEY (id, created_at) needs one). Built CONCURRENTLY.
-- Locks: SHARE UPDATE EXCLUSIVE on the table for the whole build (two scans of it): readers and writers go on; only
-- DDL, VACUUM and ANALYZE of the table wait. It waits itself for the transactions older than it, and cannot run in
-- a transaction block, so it is not under lock_timeout: a timeout would only leave an INVALID index behind.
-- client_connection_check_interval makes the build stop soon after its client is gone (a killed runbook): the index
-- is then left INVALID, and 1_drop_invalid_index.sql drops it (CONCURRENTLY) before this file runs again.
-- psql variables (plan.sql and state.sql name them): schema, table, index, key and column, e.g.
--   psql -v ON_ERROR_STOP=1 -v schema=app -v table=event_logs -v index=event_logs_id_created_at_key \
--        -v key=id -v column=created_at -f sql/migrate/online/1_unique_index.sql
SET client_connection_check_interval = '1s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS :"index" ON :"schema".:"table" (:"key", :"column");
