-- Seed query: group-by-month rollup over the year.
SELECT date_trunc('month', occurred_at) AS month, count(*) AS events
FROM app.:"table"
WHERE occurred_at >= :'year_start' AND occurred_at < :'year_end'
GROUP BY 1
ORDER BY 1;
