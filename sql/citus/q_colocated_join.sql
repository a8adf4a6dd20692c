-- Phases 1-4 (coordinator): orders joined with their lines on (user_id, order_id). Both tables are distributed by
-- user_id and colocated, so each shard pair joins on its own worker: the join is pushed down, shard by shard.
SELECT count(DISTINCT o.order_id) AS orders, count(*) AS lines, sum(i.quantity * i.price) AS line_total
FROM app.orders AS o
JOIN app.order_items AS i ON i.user_id = o.user_id AND i.order_id = o.order_id;
