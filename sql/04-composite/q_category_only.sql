-- Lesson 04: clothing, any date. Level 1 has nothing to prune on; within each quarter level 2 keeps only the
-- clothing partition: 2 leaves of 6.
SET max_parallel_workers_per_gather = 0;

SELECT date_trunc('month', sale_date) AS month, sum(amount) AS revenue FROM app.sales_data
WHERE category = 'clothing'
GROUP BY 1;
