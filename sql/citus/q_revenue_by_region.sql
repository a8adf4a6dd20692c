-- Phases 1-4 (coordinator): revenue by region. Once distributed, every shard joins its orders with its local copy of
-- the reference table regions and aggregates; the coordinator adds up the per-shard sums (fan-out to every shard).
SELECT r.name AS region, count(*) AS orders, sum(o.total) AS revenue
FROM app.orders AS o
JOIN app.regions AS r ON r.region_id = o.region_id
GROUP BY r.name
ORDER BY revenue DESC;
