-- Load simulator: one new sale in app.sales_data, dated in Q1-Q2 2024 (the only quarters the composite table
-- has: a date outside them would be refused). Needs sql/base/00_lab_functions.sql.
INSERT INTO app.sales_data (sale_date, category, product_name, amount, quantity)
SELECT sale.sale_date, sale.category, sale.category || ' item ' || (1 + floor(random() * 50)::int),
       round((2 + power(random(), 2) * 998)::numeric, 2), 1 + floor(power(random(), 4) * 10)::int
FROM (SELECT date '2024-01-01' + floor(random() * 182)::int AS sale_date, lab.random_category() AS category) AS sale
RETURNING id;
