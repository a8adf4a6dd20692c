-- Phase 3 (coordinator): gives tenant lab.tenant (a user_id) a shard of its own: the shard holding it is split in
-- three, the tenant's hash value alone in the middle one, and order_items is split alongside (CASCADE).
-- lab.transfer_mode: auto (online, logical replication) or block_writes. Only when the tenant's shard holds other
-- users too: a rerun changes nothing.
SELECT isolate_tenant_to_new_shard('app.orders', current_setting('lab.tenant')::bigint, 'CASCADE',
                                   shard_transfer_mode => coalesce(nullif(current_setting('lab.transfer_mode', true), ''), 'auto')::citus.shard_transfer_mode)
       AS tenant_shard
FROM pg_dist_shard
WHERE shardid = get_shard_id_for_distribution_column('app.orders', current_setting('lab.tenant')::bigint)
  AND shardminvalue <> shardmaxvalue;
