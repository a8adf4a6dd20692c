-- June's events in the plain table: nothing but a full scan can answer it.
-- One process per query, so that EXPLAIN's row and buffer counts are exact and compare directly
-- (parallel workers report per-loop averages).
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.events_plain
WHERE occurred_at >= '2024-06-01 00:00:00+00' AND occurred_at < '2024-07-01 00:00:00+00';
