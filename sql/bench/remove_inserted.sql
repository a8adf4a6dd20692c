-- Benchmark: removes the rows the batch-insert query and its EXPLAIN ANALYZE wrote, so the data stays as loaded.
DELETE FROM app.:"table" WHERE event_type = 'bench_insert';
