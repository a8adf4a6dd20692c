-- Seed Variant B verification, on the coordinator (psql "$COORDINATOR" -f sql/fdw/variant_b_verification.sql).
-- Expect: rows in both foreign partitions; no tenant on two shards and none on the wrong one; a tenant_id = const
-- query planned against a single foreign partition; the per-tenant aggregate pushed down to both shards at once
-- (Async Foreign Scan, "Aggregate on"). Compare the counts with sql/fdw/shard_rows.sql run on each shard.

-- 1. rows per foreign partition, counted through the coordinator
\ir q_rows_per_partition.sql

-- 2. tenants held by more than one partition, and tenants on a partition their hash does not name (expect 0 and 0)
WITH per_partition AS MATERIALIZED (
    SELECT 0 AS remainder, tenant_id FROM app.events_mod2_r0 GROUP BY tenant_id
    UNION ALL
    SELECT 1, tenant_id FROM app.events_mod2_r1 GROUP BY tenant_id
)
SELECT count(*) - count(DISTINCT tenant_id) AS tenants_on_two_shards,
       count(*) FILTER (WHERE NOT satisfies_hash_partition('app.events_sharded'::regclass, 2, remainder, tenant_id))
           AS tenants_on_wrong_shard
FROM per_partition;

-- 3. one tenant: a single foreign partition in the plan
EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM app.events_sharded WHERE tenant_id = 42;

-- 4. across shards: the aggregate pushed down, both shards at once
SET enable_partitionwise_aggregate = on;
EXPLAIN (VERBOSE, COSTS OFF) SELECT tenant_id, count(*) FROM app.events_sharded GROUP BY tenant_id;
RESET enable_partitionwise_aggregate;
