-- Run on the coordinator: every tenant, the foreign partition(s) holding its rows, and whether it belongs there by the
-- coordinator's own hash (satisfies_hash_partition with the partition's modulus and remainder). Each partition is
-- counted on its shard (the GROUP BY is pushed down); the hash is checked here, on the coordinator, where the
-- parent's OID means something (MATERIALIZED keeps it from being sent to a shard).
WITH per_partition AS MATERIALIZED (
    SELECT 'events_mod2_r0' AS partition, 2 AS modulus, 0 AS remainder, tenant_id, count(*) AS row_count
    FROM app.events_mod2_r0 GROUP BY tenant_id
    UNION ALL
    SELECT 'events_mod2_r1', 2, 1, tenant_id, count(*)
    FROM app.events_mod2_r1 GROUP BY tenant_id
)
SELECT tenant_id,
       count(*)                     AS partitions,
       string_agg(partition, ', ' ORDER BY partition) AS held_by,
       sum(row_count)::bigint       AS row_count,
       bool_and(satisfies_hash_partition('app.events_sharded'::regclass, modulus, remainder, tenant_id)) AS belongs_there
FROM per_partition
GROUP BY tenant_id
ORDER BY tenant_id;
