-- Run in database app of every embedded server the lab starts, each time it starts: the view of pg_stat_statements,
-- which the embedded servers preload (shared_preload_libraries), so the partitioning advisor (sql/advisor) sees the
-- workload. In schema public, where every role's search_path finds it. Safe to run again.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public;
