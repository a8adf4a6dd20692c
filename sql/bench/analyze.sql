-- Benchmark: fresh statistics after a load (on the coordinator, ANALYZE samples the shards through postgres_fdw).
ANALYZE app.:"table";
