-- Lesson 03: the key inside an expression. upper(region) is not region: the planner cannot compare it with the
-- partitions' lists, so every partition is scanned (4 of 4), although the rows are all in one.
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.orders_by_region WHERE upper(region) = 'EU-WEST';
