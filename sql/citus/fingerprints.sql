-- Any phase (coordinator): each table's rows now against the baseline of phase 1. same_rows is true when the count
-- and the checksum both match: no row lost, added or changed by distributing, moving or undistributing.
-- The SHARE lock on the baseline waits for load batches in flight (each updates the baseline in the transaction
-- that inserts its rows) and holds new ones off, so the rows and the baseline are read at the same point.
BEGIN;
LOCK TABLE lab.citus_baseline IN SHARE MODE;
SELECT f.table_name, b.row_count AS baseline_rows, f.row_count AS rows_now,
       f.row_count = b.row_count AND f.row_checksum = b.row_checksum AS same_rows,
       f.row_checksum::text AS row_checksum
FROM lab.citus_fingerprints() AS f
LEFT JOIN lab.citus_baseline AS b USING (table_name)
ORDER BY array_position(ARRAY['app.regions', 'app.users', 'app.orders', 'app.order_items'], f.table_name);
COMMIT;
