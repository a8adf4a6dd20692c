-- Limit 3 (coordinator; fails on purpose): no two-phase commit. One transaction writes a row to each shard. At
-- COMMIT the coordinator asks each shard to commit (in parallel, parallel_commit); shard1 does, shard2 refuses.
-- The coordinator reports an error, yet shard1 has already committed its half: 03_what_stayed.sql shows it.
-- (postgres_fdw never uses PREPARE TRANSACTION, so there is no way to take shard1's commit back.)
BEGIN;
INSERT INTO app.events_sharded (id, tenant_id, occurred_at, event_type)
SELECT '00000000-0000-4000-8000-0000000020c1'::uuid, on_shard1, '2024-03-02'::timestamptz, 'lab_limit_two_shards' FROM app.lab_limit_tenants
UNION ALL
SELECT '00000000-0000-4000-8000-0000000020c2'::uuid, on_shard2, '2024-03-02'::timestamptz, 'lab_limit_fail_at_commit' FROM app.lab_limit_tenants;
COMMIT;
