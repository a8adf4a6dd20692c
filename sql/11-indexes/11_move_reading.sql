-- Lesson 11, step 5: an UPDATE of the partition key that crosses a bound moves the row: PostgreSQL deletes
-- it from its partition and inserts it into the one its new key belongs to, in one statement.
--   psql: SET lab.reading_id = '2';  \i 11_move_reading.sql
UPDATE app.readings SET taken_at = taken_at + interval '6 months'
WHERE id = current_setting('lab.reading_id')::bigint;
