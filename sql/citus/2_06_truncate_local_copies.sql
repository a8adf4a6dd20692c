-- Phase 2, step 6 (coordinator), once the rows are checked to be in the shards: distributing copied each table's
-- rows into its shards and left the originals on the coordinator, invisible but on disk. This frees that space.
-- Truncating orders' local rows cascades to order_items'. Only for distributed tables; a rerun empties what is empty.
SELECT truncate_local_data_after_distributing_table(t::regclass)
FROM unnest(ARRAY['app.regions', 'app.orders']) AS t
WHERE EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t::regclass);
