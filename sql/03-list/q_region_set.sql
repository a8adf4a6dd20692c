-- Lesson 03: a set of regions from two partitions (us-east: north_america, ap-south: asia_pacific): 2 of 4.
SET max_parallel_workers_per_gather = 0;

SELECT region, count(*) FROM app.orders_by_region WHERE region IN ('us-east', 'ap-south') GROUP BY region;
