-- Phase 3 (coordinator): moves tenant lab.tenant's shard (with its colocated order_items shard) to the worker
-- lab.node_host:lab.node_port. Nothing happens when it is already there.
SELECT citus_move_shard_placement(s.shardid, s.nodename, s.nodeport,
                                  current_setting('lab.node_host'), current_setting('lab.node_port')::int,
                                  shard_transfer_mode => coalesce(nullif(current_setting('lab.transfer_mode', true), ''), 'auto')::citus.shard_transfer_mode)
FROM citus_shards AS s
WHERE s.shardid = get_shard_id_for_distribution_column('app.orders', current_setting('lab.tenant')::bigint)
  AND (s.nodename, s.nodeport) <> (current_setting('lab.node_host'), current_setting('lab.node_port')::int);
