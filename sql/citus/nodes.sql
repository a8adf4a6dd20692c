-- Monitoring (coordinator, Citus enabled): every node of the cluster and what it holds: shards of the distributed
-- tables (orders and order_items), placements of reference tables, and their size. Active workers are the rows
-- with role 'worker' and active true (SELECT * FROM citus_get_active_worker_nodes() lists the same).
SELECT n.nodename || ':' || n.nodeport AS node,
       CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END AS role,
       n.isactive AS active,
       count(s.shardid) FILTER (WHERE s.citus_table_type = 'distributed') AS distributed_shards,
       count(s.shardid) FILTER (WHERE s.citus_table_type = 'reference') AS reference_shards,
       pg_size_pretty(coalesce(sum(s.shard_size), 0)) AS size
FROM pg_dist_node AS n
LEFT JOIN citus_shards AS s ON s.nodename = n.nodename AND s.nodeport = n.nodeport
GROUP BY n.nodeid, n.nodename, n.nodeport, n.groupid, n.isactive
ORDER BY n.groupid <> 0, n.nodeid;
