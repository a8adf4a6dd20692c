-- app.orders_by_region: orders with the region that serves them, in an ordinary table, NOT partitioned yet
-- (the list lesson migrates it with sql/migrate/list_orders_by_region.sql).
-- Needs sql/base/00_lab_functions.sql. Parameters: lab.rows (default 200), lab.seed (default 0.42).
-- Starts over: drops app.orders_by_region and the app.orders_by_region_old a migration kept.
DROP TABLE IF EXISTS app.orders_by_region, app.orders_by_region_old CASCADE;

CREATE TABLE app.orders_by_region (
    id          bigserial     PRIMARY KEY,
    customer_id bigint        NOT NULL,
    region      text          NOT NULL,
    amount      numeric(10,2) NOT NULL,
    status      text          NOT NULL,
    created_at  timestamptz   NOT NULL
);
CREATE INDEX orders_by_region_region_idx ON app.orders_by_region (region);
CREATE INDEX orders_by_region_customer_id_idx ON app.orders_by_region (customer_id);
CREATE INDEX orders_by_region_created_at_idx ON app.orders_by_region (created_at);

COMMENT ON TABLE app.orders_by_region IS 'Partition Lab: orders by region. An ordinary table: NOT partitioned yet.';

SELECT setseed(coalesce(nullif(current_setting('lab.seed', true), ''), '0.42')::float8);

-- us-east alone takes about a third of the orders; some regions see very few.
INSERT INTO app.orders_by_region (customer_id, region, amount, status, created_at)
SELECT lab.random_skewed_id(2000),
       lab.random_region(),
       round((5 + power(random(), 2) * 495)::numeric, 2),
       lab.random_order_status(),
       lab.random_time('2024-01-01 00:00:00+00', '2025-01-01 00:00:00+00')
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '200')::int);

ANALYZE app.orders_by_region;

SELECT 'app.orders_by_region' AS table_name, count(*) AS row_count, count(DISTINCT region) AS regions
FROM app.orders_by_region;
