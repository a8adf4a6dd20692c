-- The anti-pattern: casting the partition key to text hides it from the planner. The cast result
-- also depends on the session's TimeZone, so it is not even the same question. Every partition is
-- scanned and every row converted.
-- One process per query, so that EXPLAIN's row and buffer counts are exact and compare directly
-- (parallel workers report per-loop averages).
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.events
WHERE occurred_at::text LIKE '2024-06%';
