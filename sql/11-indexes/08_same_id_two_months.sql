-- Lesson 11, step 3c: what (id, taken_at) promises, and what not: id 1 again, in July, is accepted.
-- Unique is the pair; an id alone is unique only if the application (a sequence) makes it so.
INSERT INTO app.readings (id, sensor_id, taken_at, value) VALUES (1, 1, '2024-07-15 12:00+00', 0.0);

SELECT format('%I.%I', n.nspname, c.relname) AS partition, r.id, r.taken_at
FROM app.readings r
JOIN pg_class c ON c.oid = r.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE r.id = 1
ORDER BY r.taken_at;
