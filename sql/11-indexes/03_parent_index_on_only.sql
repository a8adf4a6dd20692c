-- Lesson 11, step 2a: an index on the partitioned table alone. ON ONLY creates the parent's index and no
-- partition's: it stays invalid (pg_index.indisvalid = false) until every partition has an index attached
-- (step 2c). Nothing is built, so it takes a moment whatever the table's size.
CREATE INDEX readings_sensor_taken_idx ON ONLY app.readings (sensor_id, taken_at);
