-- app.sales_data: sales in the first half of 2024 with a product category, in an ordinary table, NOT
-- partitioned yet (the composite lesson migrates it with sql/migrate/composite_sales_data.sql).
-- Needs sql/base/00_lab_functions.sql. Parameters: lab.rows (default 250), lab.seed (default 0.42).
-- Starts over: drops app.sales_data and the app.sales_data_old a migration kept.
DROP TABLE IF EXISTS app.sales_data, app.sales_data_old CASCADE;

CREATE TABLE app.sales_data (
    id           bigserial     PRIMARY KEY,
    sale_date    date          NOT NULL,
    category     text          NOT NULL,
    product_name text          NOT NULL,
    amount       numeric(10,2) NOT NULL,
    quantity     integer       NOT NULL
);
CREATE INDEX sales_data_sale_date_idx ON app.sales_data (sale_date);
CREATE INDEX sales_data_category_idx ON app.sales_data (category);

COMMENT ON TABLE app.sales_data IS 'Partition Lab: sales in Q1-Q2 2024. An ordinary table: NOT partitioned yet.';

SELECT setseed(coalesce(nullif(current_setting('lab.seed', true), ''), '0.42')::float8);

-- Every day from 2024-01-01 to 2024-06-30 (182 days); electronics and clothing sell most.
INSERT INTO app.sales_data (sale_date, category, product_name, amount, quantity)
SELECT sale.sale_date, sale.category,
       sale.category || ' item ' || (1 + floor(random() * 50)::int),
       round((2 + power(random(), 2) * 998)::numeric, 2),
       1 + floor(power(random(), 4) * 10)::int
FROM (SELECT date '2024-01-01' + floor(random() * 182)::int AS sale_date, lab.random_category() AS category
      FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '250')::int)) AS sale;

ANALYZE app.sales_data;

SELECT 'app.sales_data' AS table_name, count(*) AS row_count, min(sale_date) AS first_sale, max(sale_date) AS last_sale
FROM app.sales_data;
