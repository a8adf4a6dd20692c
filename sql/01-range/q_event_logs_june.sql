-- June's events in app.event_logs: no partition for June exists, so the planner keeps the one partition that
-- may hold them, the DEFAULT (1 of 4), and reads it with all of April to December in it.
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.event_logs
WHERE created_at >= '2024-06-01 00:00:00+00' AND created_at < '2024-07-01 00:00:00+00';
