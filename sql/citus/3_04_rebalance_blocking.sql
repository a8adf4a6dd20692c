-- Phase 3 (coordinator): the same rebalance in the foreground, blocking writes to each shard while it is copied:
-- no replication slots to set up, so the fastest way when the application can pause its writes.
SELECT rebalance_table_shards(shard_transfer_mode => 'block_writes');
