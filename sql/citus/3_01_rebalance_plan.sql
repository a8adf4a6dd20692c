-- Phase 3 (coordinator): the moves a rebalance would make now, without making them. Empty when balanced.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name, p.shardid, p.shard_size,
       p.sourcename || ':' || p.sourceport AS from_node, p.targetname || ':' || p.targetport AS to_node
FROM get_rebalance_table_shards_plan() AS p
JOIN pg_class AS c ON c.oid = p.table_name
JOIN pg_namespace AS n ON n.oid = c.relnamespace
ORDER BY p.shardid;
