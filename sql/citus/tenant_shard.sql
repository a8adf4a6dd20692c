-- Monitoring (coordinator, Citus enabled): where tenant lab.tenant lives: its shard of app.orders, the node, and the
-- hash range (a single value once isolated). shard_users.sql counts who else shares it.
SELECT current_setting('lab.tenant')::bigint AS tenant, s.shardid, s.nodename || ':' || s.nodeport AS node,
       d.shardminvalue::bigint AS hash_from, d.shardmaxvalue::bigint AS hash_to,
       d.shardminvalue = d.shardmaxvalue AS isolated
FROM citus_shards AS s
JOIN pg_dist_shard AS d USING (shardid)
WHERE s.shardid = get_shard_id_for_distribution_column('app.orders', current_setting('lab.tenant')::bigint);
