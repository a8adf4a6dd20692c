-- Lesson 03: a region no partition lists. It can only be in the DEFAULT partition, and the planner knows it:
-- orders_by_region_other alone is scanned (1 of 4).
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.orders_by_region WHERE region = 'sa-east';
