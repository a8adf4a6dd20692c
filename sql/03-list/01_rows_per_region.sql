-- Lesson 03: every region and the partition its orders are stored in (tableoid), with the count. Regions no
-- partition lists (sa-east, me-south, af-south) are all in the DEFAULT partition, orders_by_region_other.
SELECT o.region,
       format('%I.%I', n.nspname, c.relname) AS stored_in,
       count(*) AS orders
FROM app.orders_by_region o
JOIN pg_class c ON c.oid = o.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
GROUP BY 1, 2
ORDER BY 2, 3 DESC;
