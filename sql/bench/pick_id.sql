-- Benchmark: the id the point lookup looks for: the smallest id of the benchmark's month, the same row on every
-- layout loaded with the same seed.
SELECT id::text AS id FROM app.:"table"
WHERE occurred_at >= :'month_start' AND occurred_at < :'month_end'
ORDER BY id LIMIT 1;
