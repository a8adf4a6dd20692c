-- Phases 1-4 (coordinator): the same join on order_id alone, as phase 1's schema invites. On one server it is the
-- same query; once distributed, matching rows may sit in shards on different workers. Citus refuses it ("the query
-- contains a join that requires repartitioning") unless citus.enable_repartition_joins is on, and then reshuffles
-- both tables between the workers (MapMergeJob in the plan).
SELECT count(DISTINCT o.order_id) AS orders, count(*) AS lines, sum(i.quantity * i.price) AS line_total
FROM app.orders AS o
JOIN app.order_items AS i ON i.order_id = o.order_id;
