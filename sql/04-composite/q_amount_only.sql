-- Lesson 04: big sales, any date, any category. amount is in neither partition key: all 6 leaves are scanned.
SET max_parallel_workers_per_gather = 0;

SELECT count(*) FROM app.sales_data WHERE amount > 900;
