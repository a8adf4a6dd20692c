-- Resharding by hand (coordinator, lesson 08's limit 5): what going from 2 to 4 shards would move. Each hash modulus
-- must divide the next larger one (2 -> 3 shards is also possible, by splitting only one remainder: rows bound for
-- shard4 below would go to a third shard, shard1's would all stay). For four: MODULUS 2 becomes MODULUS 4: remainder 0 splits into 0 (stays on shard1) and 2 (a new shard3), remainder 1
-- into 1 (stays on shard2) and 3 (a new shard4). Every row whose tenant hashes to 2 or 3 must be copied to a new
-- server, deleted from its old one, and the partitions recreated, with writes stopped or replayed meanwhile.
-- Counted per tenant on the shards (pushed down); the new remainder is computed here, on the coordinator.
WITH per_tenant AS MATERIALIZED (
    SELECT 'shard1' AS shard_now, tenant_id, count(*) AS row_count FROM app.events_mod2_r0 GROUP BY tenant_id
    UNION ALL
    SELECT 'shard2', tenant_id, count(*) FROM app.events_mod2_r1 GROUP BY tenant_id
), with_new_home AS (
    SELECT shard_now, tenant_id, row_count,
           (SELECT r FROM generate_series(0, 3) r
            WHERE satisfies_hash_partition('app.events_sharded'::regclass, 4, r, tenant_id)) AS remainder_mod4
    FROM per_tenant
)
SELECT shard_now,
       'shard' || (remainder_mod4 + 1)              AS shard_after,
       count(*)                                     AS tenants,
       sum(row_count)::bigint                       AS row_count,
       shard_now <> 'shard' || (remainder_mod4 + 1) AS rows_move
FROM with_new_home
GROUP BY shard_now, remainder_mod4
ORDER BY shard_now, shard_after;
