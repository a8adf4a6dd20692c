-- Limit 1 (coordinator): no unique constraint across shards. The same id, once for a tenant on each shard: each
-- shard's primary key sees only its own rows, so both inserts succeed and the id exists twice.
INSERT INTO app.events_sharded (id, tenant_id, occurred_at, event_type)
SELECT '00000000-0000-4000-8000-00000000d0b1'::uuid, on_shard1, '2024-03-01'::timestamptz, 'lab_limit_duplicate' FROM app.lab_limit_tenants
UNION ALL
SELECT '00000000-0000-4000-8000-00000000d0b1'::uuid, on_shard2, '2024-03-01'::timestamptz, 'lab_limit_duplicate' FROM app.lab_limit_tenants;

SELECT tableoid::regclass::text AS partition, id, tenant_id, event_type
FROM app.events_sharded
WHERE id = '00000000-0000-4000-8000-00000000d0b1'
ORDER BY partition;
