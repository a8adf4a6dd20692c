-- Seed query: a small batch insert, 10 rows in one statement (for ten tenants: on the sharded layout both shards).
-- The benchmark removes them afterwards (sql/bench/remove_inserted.sql).
INSERT INTO app.:"table" (id, tenant_id, occurred_at, event_type, payload)
SELECT gen_random_uuid(), t, :'insert_at'::timestamptz, 'bench_insert', '{"source": "bench"}'::jsonb
FROM generate_series(1, 10) AS t;
