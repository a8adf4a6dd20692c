-- Lesson 11, step 2c: attach one partition's index to the parent's index (a catalog change, no build).
-- The parent's index becomes valid when the last partition's index is attached.
--   psql -v partition_index=readings_2024_01_sensor_taken_idx -f 05_attach_partition_index.sql
ALTER INDEX app.readings_sensor_taken_idx ATTACH PARTITION app.:"partition_index";
