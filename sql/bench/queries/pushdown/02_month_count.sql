-- The month's count on the sharded layout, shaped so both shards compute it (benchmark layout sharded_pushdown,
-- lesson 08): count(*) over app.events_sharded is not pushed down through the partitioned parent (PostgreSQL 17
-- pushes no partial aggregate to a foreign server), so each shard is sent the whole month's rows. Counting each
-- foreign partition on its own is an aggregate postgres_fdw does push down ("Aggregate on"), async_capable runs the
-- two at once, and the coordinator adds two numbers. The partitions are named: regenerate this when they change
-- (sql/fdw/hash_bounds.sql lists them).
SELECT sum(n)::bigint AS count
FROM (SELECT count(*) AS n FROM app.events_mod2_r0 WHERE occurred_at >= :'month_start' AND occurred_at < :'month_end'
      UNION ALL
      SELECT count(*) FROM app.events_mod2_r1 WHERE occurred_at >= :'month_start' AND occurred_at < :'month_end') AS per_shard;
