-- March's events in the migrated app.event_logs: only event_logs_2024_03 can hold them (1 of 4 partitions).
SET max_parallel_workers_per_gather = 0;

SELECT event_type, count(*) FROM app.event_logs
WHERE created_at >= '2024-03-01 00:00:00+00' AND created_at < '2024-04-01 00:00:00+00'
GROUP BY event_type;
