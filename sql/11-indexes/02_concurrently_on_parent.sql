-- Lesson 11, step 2: CREATE INDEX CONCURRENTLY on a partitioned table. Refused (SQLSTATE 0A000): the server
-- cannot build every partition's index concurrently in one statement. Steps 2a to 2c do it partition by partition.
CREATE INDEX CONCURRENTLY readings_sensor_taken_idx ON app.readings (sensor_id, taken_at);
