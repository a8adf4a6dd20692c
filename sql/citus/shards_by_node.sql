-- Monitoring (coordinator, Citus enabled): citus_shards straight from the catalog, grouped by table and node: the
-- shards of each Citus table on each node and their size (a reference table has one placement on every node, the
-- coordinator included).
SELECT table_name::text AS table_name, citus_table_type, nodename || ':' || nodeport AS node,
       count(*) AS shards, pg_size_pretty(sum(shard_size)) AS size
FROM citus_shards
GROUP BY 1, 2, 3
ORDER BY 1, 3;
