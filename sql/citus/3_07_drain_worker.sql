-- Phase 3 (coordinator): moves every shard off worker lab.node_host:lab.node_port onto the others (the rebalancer
-- chooses where), then removes the worker from the cluster. Reference tables are on every node already. A worker no
-- longer registered is left alone, so a rerun changes nothing.
SELECT citus_drain_node(current_setting('lab.node_host'), current_setting('lab.node_port')::int,
                        shard_transfer_mode => coalesce(nullif(current_setting('lab.transfer_mode', true), ''), 'auto')::citus.shard_transfer_mode)
WHERE EXISTS (SELECT FROM pg_dist_node WHERE nodename = current_setting('lab.node_host')
                                         AND nodeport = current_setting('lab.node_port')::int);

SELECT citus_remove_node(current_setting('lab.node_host'), current_setting('lab.node_port')::int)
WHERE EXISTS (SELECT FROM pg_dist_node WHERE nodename = current_setting('lab.node_host')
                                         AND nodeport = current_setting('lab.node_port')::int);
