-- Lesson 04: February's electronics. The date picks the quarter (level 1), the category picks the list
-- partition within it (level 2): one leaf of six is scanned, sales_data_2024_q1_electronics.
SET max_parallel_workers_per_gather = 0;

SELECT sale_date, sum(amount) AS revenue FROM app.sales_data
WHERE sale_date >= '2024-02-01' AND sale_date < '2024-03-01' AND category = 'electronics'
GROUP BY sale_date;
