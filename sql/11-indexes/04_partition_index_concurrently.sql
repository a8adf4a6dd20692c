-- Lesson 11, step 2b: one partition's index, built CONCURRENTLY: writers to the partition go on while it
-- builds (a partitioned table refuses CONCURRENTLY, a partition accepts it). It cannot run in a transaction.
--   psql -v partition=readings_2024_01 -v partition_index=readings_2024_01_sensor_taken_idx -f 04_partition_index_concurrently.sql
CREATE INDEX CONCURRENTLY IF NOT EXISTS :"partition_index" ON app.:"partition" (sensor_id, taken_at);
