-- app.orders, big enough to partition and queried by ordered_at, but referenced by a foreign key from
-- app.order_lines (order_id -> orders.id): partitioned by ordered_at, orders could keep no unique key on id alone,
-- so the reference would have to carry ordered_at too. The advisor flags it. Needs sql/base/00_lab_functions.sql.
-- Parameters: lab.rows (orders, default 2400; AdvisorCases: ci 6,000, demo 60,000, full 1,200,000), lab.line_rows
-- (order lines, default 1000; AdvisorCases: half the "too small" threshold, so the lines are too small). Starts over.
DROP TABLE IF EXISTS app.order_lines, app.orders CASCADE;
CREATE TABLE app.orders (
    id          bigserial     PRIMARY KEY,
    customer_id integer       NOT NULL,
    ordered_at  timestamptz   NOT NULL,
    status      text          NOT NULL,
    total       numeric(12,2) NOT NULL
);
CREATE INDEX orders_ordered_at_idx ON app.orders (ordered_at);
CREATE TABLE app.order_lines (
    id         bigserial     PRIMARY KEY,
    order_id   bigint        NOT NULL REFERENCES app.orders (id),
    product_id integer       NOT NULL,
    quantity   integer       NOT NULL,
    price      numeric(10,2) NOT NULL
);
CREATE INDEX order_lines_order_id_idx ON app.order_lines (order_id);
COMMENT ON TABLE app.orders IS 'Partition Lab: orders, referenced by app.order_lines. An ordinary table.';

SELECT setseed(0.44);
INSERT INTO app.orders (customer_id, ordered_at, status, total)
SELECT lab.random_skewed_id(5000)::int,
       lab.random_time(date_trunc('month', now()) - interval '12 months', now()),
       lab.random_order_status(),
       round((5 + random() * 500)::numeric, 2)
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '2400')::int);

INSERT INTO app.order_lines (order_id, product_id, quantity, price)
SELECT 1 + floor(random() * (SELECT max(id) FROM app.orders))::bigint, (random() * 999)::int + 1, (random() * 4)::int + 1,
       round((1 + random() * 100)::numeric, 2)
FROM generate_series(1, coalesce(nullif(current_setting('lab.line_rows', true), ''), '1000')::int);

ANALYZE app.orders, app.order_lines;

SELECT 'app.orders' AS table_name, count(*) AS row_count FROM app.orders
UNION ALL
SELECT 'app.order_lines', count(*) FROM app.order_lines;
