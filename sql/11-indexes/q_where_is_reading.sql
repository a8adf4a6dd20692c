-- Lesson 11: which partition holds one reading (tableoid), by id.
--   psql: SET lab.reading_id = '2';  \i q_where_is_reading.sql
SELECT format('%I.%I', n.nspname, c.relname) AS partition, r.id, r.taken_at
FROM app.readings r
JOIN pg_class c ON c.oid = r.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.id = current_setting('lab.reading_id')::bigint;
