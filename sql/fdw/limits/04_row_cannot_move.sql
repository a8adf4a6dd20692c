-- Limit 4 (coordinator): a row cannot move out of a foreign partition. Changing the tenant of a row on shard1 to a
-- tenant that hashes to shard2 does not move it: the UPDATE is carried out on shard1 (PostgreSQL checks no partition
-- constraint on a foreign partition), and the row stays there under a tenant that lives on shard2.
INSERT INTO app.events_sharded (id, tenant_id, occurred_at, event_type)
SELECT '00000000-0000-4000-8000-00000000a0e1', on_shard1, '2024-03-03', 'lab_limit_move' FROM app.lab_limit_tenants;

UPDATE app.events_sharded
SET tenant_id = (SELECT on_shard2 FROM app.lab_limit_tenants)
WHERE id = '00000000-0000-4000-8000-00000000a0e1';

-- where the row is, and what a query for its new tenant finds (pruned to shard2: nothing)
SELECT e.tableoid::regclass::text AS stored_in,
       e.tenant_id                AS tenant_now,
       (SELECT count(*) FROM app.events_sharded x
        WHERE x.tenant_id = t.on_shard2 AND x.id = '00000000-0000-4000-8000-00000000a0e1') AS found_by_its_tenant
FROM app.events_sharded e, app.lab_limit_tenants t
WHERE e.id = '00000000-0000-4000-8000-00000000a0e1';
