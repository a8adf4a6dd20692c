-- Phase 2, step 5 (coordinator): regions becomes a reference table (a copy on every node, so any shard can join it
-- locally); orders is split by hash of user_id into lab.shard_count shards (default 8, few enough to read in a
-- placement table; Citus's own default is 32); order_items is colocated with orders: the same user's lines live in
-- the shard, on the node, that holds their orders. Each table only once: a rerun changes nothing.
SELECT create_reference_table('app.regions')
WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.regions'::regclass);

SELECT create_distributed_table('app.orders', 'user_id',
                                shard_count => coalesce(nullif(current_setting('lab.shard_count', true), ''), '8')::int)
WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.orders'::regclass);

SELECT create_distributed_table('app.order_items', 'user_id', colocate_with => 'app.orders')
WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.order_items'::regclass);
