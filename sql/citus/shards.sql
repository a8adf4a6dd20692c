-- Monitoring (coordinator, Citus enabled): every shard of app.orders (its order_items shard is colocated beside it)
-- with the hash range it holds, the node it is on, its users and orders. A shard whose range is a single value holds
-- one tenant alone (phase 3's isolation).
SELECT s.shardid, s.nodename || ':' || s.nodeport AS node,
       d.shardminvalue::bigint AS hash_from, d.shardmaxvalue::bigint AS hash_to,
       d.shardminvalue = d.shardmaxvalue AS one_tenant,
       pg_size_pretty(s.shard_size) AS size
FROM citus_shards AS s
JOIN pg_dist_shard AS d USING (shardid)
WHERE s.table_name = 'app.orders'::regclass
ORDER BY d.shardminvalue::bigint;
