-- Online migration, step 2: the partitioned table under the name <table>_next: the table's columns and defaults
-- (ids from the same sequence), PARTITION BY RANGE (lab.time_column), PRIMARY KEY (id, time column), the table's
-- other indexes (named with _next until the switch). No partition yet: every statement is catalog work.
-- Locks: ACCESS SHARE on the table for a moment (its definition is read), under the lock discipline: readers and
-- writers go on. One transaction; done before, it changes nothing.
--   psql -v ON_ERROR_STOP=1 -c "SET lab.table_name = 'app.event_logs'" -f sql/migrate/online/2_parent.sql
SELECT lab.online_migration_prepare(current_setting('lab.table_name'), current_setting('lab.time_column', true)) AS prepared;
