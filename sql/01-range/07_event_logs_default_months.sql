-- Lesson 01, part 2: what sits in app.event_logs_default after the migration, month by month. The migration
-- created partitions for January to March only, so every event of April to December landed in the DEFAULT.
SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM') AS month,
       count(*) AS rows_in_default
FROM app.event_logs_default
GROUP BY 1
ORDER BY 1;
