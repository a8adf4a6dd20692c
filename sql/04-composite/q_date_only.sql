-- Lesson 04: May, any category. Level 1 prunes Q1; level 2 has nothing to prune on: the three leaves of Q2.
SET max_parallel_workers_per_gather = 0;

SELECT category, sum(amount) AS revenue FROM app.sales_data
WHERE sale_date >= '2024-05-01' AND sale_date < '2024-06-01'
GROUP BY category;
