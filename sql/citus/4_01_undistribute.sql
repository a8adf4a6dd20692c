-- Phase 4 (coordinator): every table back to a regular PostgreSQL table on the coordinator. undistribute_table
-- creates a local table, copies the rows in from the shards, drops the distributed table and renames the new one.
-- order_items first, cascading over the foreign key to orders; then regions. Tables no longer distributed are left
-- alone, so a rerun changes nothing.
SELECT undistribute_table('app.order_items', cascade_via_foreign_keys => true)
WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.order_items'::regclass);

SELECT undistribute_table('app.orders', cascade_via_foreign_keys => true)
WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.orders'::regclass);

SELECT undistribute_table('app.regions')
WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'app.regions'::regclass);
