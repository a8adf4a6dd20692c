-- Lesson 03: one region. Only the partition that lists eu-west, orders_by_region_europe, is scanned (1 of 4).
SET max_parallel_workers_per_gather = 0;

SELECT status, count(*), sum(amount) FROM app.orders_by_region WHERE region = 'eu-west' GROUP BY status;
