-- The load step (coordinator, any phase after 1): lab.batch (default 100) new orders with their lines, numbered on
-- from the highest order_id, in one transaction that also adds their count and checksum to lab.citus_baseline, so
-- the invariant "every phase holds the baseline's rows" keeps holding while an application writes.
-- The rows are staged in temporary tables first: the checksum is taken of exactly the rows inserted.
BEGIN;
CREATE TEMP TABLE new_orders (LIKE app.orders) ON COMMIT DROP;
CREATE TEMP TABLE new_items (LIKE app.order_items) ON COMMIT DROP;
INSERT INTO new_orders
SELECT * FROM lab.citus_orders((SELECT coalesce(max(order_id), 0) + 1 FROM app.orders),
                               coalesce(nullif(current_setting('lab.batch', true), ''), '100')::bigint,
                               (SELECT count(*) FROM app.users));
INSERT INTO new_items
SELECT i.* FROM lab.citus_order_items((SELECT min(order_id) FROM new_orders), (SELECT count(*) FROM new_orders),
                                      (SELECT count(*) FROM app.users)) AS i;
INSERT INTO app.orders SELECT * FROM new_orders;
INSERT INTO app.order_items SELECT * FROM new_items;
UPDATE lab.citus_baseline AS b
SET row_count = b.row_count + added.row_count, row_checksum = b.row_checksum + added.row_checksum, recorded_at = now()
FROM (SELECT 'app.orders' AS table_name, count(*) AS row_count, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) AS row_checksum
      FROM new_orders AS t
      UNION ALL
      SELECT 'app.order_items', count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM new_items AS t) AS added
WHERE b.table_name = added.table_name;
SELECT count(*) AS orders_added, (SELECT count(*) FROM new_items) AS lines_added FROM new_orders;
COMMIT;
