-- Run in database app of every embedded server the lab starts, each time it starts: the view of pg_stat_statements,
-- which the embedded servers preload (shared_preload_libraries), so the partitioning advisor (sql/advisor) sees the
-- workload. Safe to run again.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
