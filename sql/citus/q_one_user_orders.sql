-- Phases 1-4 (coordinator), psql variable user_id (psql -v user_id=42): one user's latest orders with their
-- lines. Once distributed, the filter on the distribution column routes it to the one worker with that user's shard,
-- and the join of orders and order_items runs there, as the two are colocated.
SELECT o.order_id, o.status, o.total, count(*) AS lines, sum(i.quantity) AS items
FROM app.orders AS o
JOIN app.order_items AS i ON i.user_id = o.user_id AND i.order_id = o.order_id
WHERE o.user_id = :'user_id'
GROUP BY o.order_id, o.status, o.total
ORDER BY o.order_id DESC
LIMIT 5;
