-- Phase 1, step 1 (on the Citus coordinator, before Citus is used): the shop's four tables as any single
-- PostgreSQL server would have them. Keys are what a single server needs: orders by order_id alone. Phase 2
-- shows why that key has to change before the table can be distributed.
-- Safe to run again: creates only what is missing, and never touches rows.
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS lab;

CREATE TABLE IF NOT EXISTS app.regions (
    region_id int  PRIMARY KEY,
    name      text NOT NULL,
    country   text NOT NULL
);

CREATE TABLE IF NOT EXISTS app.users (
    user_id    bigint      PRIMARY KEY,
    email      text        NOT NULL,
    region_id  int         NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS app.orders (
    order_id   bigint        NOT NULL,
    user_id    bigint        NOT NULL,
    region_id  int           NOT NULL,
    status     text          NOT NULL,
    total      numeric(12,2) NOT NULL,
    created_at timestamptz   NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (order_id)
);
CREATE INDEX IF NOT EXISTS orders_user_id_idx ON app.orders (user_id);

-- user_id is repeated on every line: a table can only be colocated with orders if it carries the same key.
CREATE TABLE IF NOT EXISTS app.order_items (
    order_id   bigint        NOT NULL,
    line_no    int           NOT NULL,
    user_id    bigint        NOT NULL,
    product    text          NOT NULL,
    quantity   int           NOT NULL,
    price      numeric(10,2) NOT NULL,
    CONSTRAINT order_items_pkey PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_items_order_fkey FOREIGN KEY (order_id) REFERENCES app.orders (order_id)
);

-- What every phase is checked against: the row count and checksum of each table after the seed (and after each
-- load run, which adds its own rows here in the same transaction as the rows themselves).
CREATE TABLE IF NOT EXISTS lab.citus_baseline (
    table_name   text        PRIMARY KEY,
    row_count    bigint      NOT NULL,
    row_checksum numeric     NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- Row count and order-independent checksum (sum of a 64-bit hash of each whole row's text) of the four tables,
-- wherever their rows live: on the coordinator, in shards on the workers, or back again. PL/pgSQL, because Citus
-- does not plan SQL-language functions over distributed tables.
CREATE OR REPLACE FUNCTION lab.citus_fingerprints()
RETURNS TABLE (table_name text, row_count bigint, row_checksum numeric)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT 'app.regions', count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM app.regions AS t
    UNION ALL
    SELECT 'app.users', count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM app.users AS t
    UNION ALL
    SELECT 'app.orders', count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM app.orders AS t
    UNION ALL
    SELECT 'app.order_items', count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM app.order_items AS t;
END
$$;

-- Runs a statement and returns 'ok' or the error it raised (message, then detail), rolling back only that
-- statement: how the lessons show what Citus refuses without stopping the run.
CREATE OR REPLACE FUNCTION lab.citus_try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE statement;
    RETURN 'ok';
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLERRM || CASE WHEN coalesce(detail, '') = '' THEN '' ELSE ' (' || detail || ')' END;
END
$$;

-- The shop's generated rows, as functions of the order number alone (no random()), so every run on every cluster
-- holds the same rows and a load run continues where the seed stopped. One user is hot: user 42 places every tenth
-- order, the tenant phase 3 isolates. The seed (1_02) and the load (load_batch.sql) both draw from here.
CREATE OR REPLACE FUNCTION lab.citus_order_owner(order_id bigint, users bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN order_id % 10 = 0 THEN 42 ELSE 1 + (order_id * 2654435761) % users END
$$;

-- One to four lines an order.
CREATE OR REPLACE FUNCTION lab.citus_order_items(first_order bigint, orders bigint, users bigint)
RETURNS TABLE (order_id bigint, line_no int, user_id bigint, product text, quantity int, price numeric(10,2))
LANGUAGE sql IMMUTABLE AS $$
    SELECT o, line, lab.citus_order_owner(o, users),
           (ARRAY['book', 'lamp', 'chair', 'kettle', 'headphones', 'desk', 'mug', 'backpack'])[1 + (o + line) % 8],
           (1 + (o * line) % 3)::int,
           (5 + (o * 37 + line * 11) % 200)::numeric(10,2)
    FROM generate_series(first_order, first_order + orders - 1) AS o
    CROSS JOIN LATERAL generate_series(1, 1 + (o % 4)::int) AS line
$$;

-- Orders placed a minute apart or so through 2024; the total is the sum of the order's lines.
CREATE OR REPLACE FUNCTION lab.citus_orders(first_order bigint, orders bigint, users bigint)
RETURNS TABLE (order_id bigint, user_id bigint, region_id int, status text, total numeric(12,2), created_at timestamptz)
LANGUAGE sql IMMUTABLE AS $$
    SELECT i.order_id, i.user_id, (1 + (i.user_id * 7) % 8)::int,
           (ARRAY['paid', 'shipped', 'delivered', 'delivered', 'cancelled'])[1 + (i.order_id * 31) % 5],
           sum(i.quantity * i.price)::numeric(12,2),
           timestamptz '2024-01-01 00:00:00+00' + (i.order_id * 104729 % 525600) * interval '1 minute'
    FROM lab.citus_order_items(first_order, orders, users) AS i
    GROUP BY i.order_id, i.user_id
$$;
