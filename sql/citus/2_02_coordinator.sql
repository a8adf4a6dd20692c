-- Phase 2, step 2 (coordinator): tells Citus how the workers reach the coordinator (host and port as the workers see
-- it: settings lab.node_host, lab.node_port). Needed for reference tables and for the background rebalancer.
-- Only the first time: afterwards the coordinator is node group 0 in pg_dist_node.
SELECT citus_set_coordinator_host(current_setting('lab.node_host'), current_setting('lab.node_port')::int)
WHERE NOT EXISTS (SELECT FROM pg_dist_node WHERE groupid = 0);
