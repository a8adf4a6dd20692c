-- Phase 4 (coordinator), after 4_01: the workers hold no shard any more; removing them from the metadata lets them
-- be stopped, and leaves the coordinator as it was before phase 2 (Citus installed, one node). Only empty workers.
SELECT nodename || ':' || nodeport AS removed, citus_remove_node(nodename, nodeport)
FROM pg_dist_node AS n
WHERE groupid <> 0
  AND NOT EXISTS (SELECT FROM pg_dist_placement AS p WHERE p.groupid = n.groupid);
