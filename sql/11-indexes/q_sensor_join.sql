-- Lesson 11, step 7: sensors joined with their checks on the partition key of both.
-- With enable_partitionwise_join on, the planner joins sensors_rN with sensor_checks_rN, four small joins.
SELECT s.kind, count(*) AS checks, count(*) FILTER (WHERE NOT c.ok) AS failed
FROM app.sensors s
JOIN app.sensor_checks c ON c.sensor_id = s.sensor_id
GROUP BY s.kind;
