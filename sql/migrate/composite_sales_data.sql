-- Migration COMPOSITE: app.sales_data becomes a two-level table: RANGE by quarter on sale_date, each quarter
-- LIST-partitioned by category (electronics, clothing, and other as the DEFAULT): 2 x 3 = 6 leaf partitions.
-- In ONE transaction (this DO block): the ordinary table steps aside as app.sales_data_old (kept for
-- comparison), the partitioned table takes its name, id sequence and index names, and every row is copied.
--
-- Locks: ACCESS EXCLUSIVE on app.sales_data from lab.begin_migration to the commit (under the lock discipline;
-- given up, nothing changed): every reader and every writer waits for the whole copy and index build.
--
-- There is no DEFAULT at the quarter level: a sale outside Q1-Q2 2024 has nowhere to go and is refused.
--
-- Safe to run twice: when app.sales_data is already partitioned it says so and changes nothing.
-- Needs sql/online/install.sql, sql/base/00_lab_functions.sql and sql/base/sales_data.sql.
DO $migration$
DECLARE
    copied bigint;
BEGIN
    IF NOT lab.begin_migration('app.sales_data') THEN
        RETURN; -- already partitioned: nothing to do
    END IF;

    -- The primary key must include the partition keys of every level: sale_date and category.
    CREATE TABLE app.sales_data (
        id           bigint        NOT NULL DEFAULT nextval('app.sales_data_id_seq'),
        sale_date    date          NOT NULL,
        category     text          NOT NULL,
        product_name text          NOT NULL,
        amount       numeric(10,2) NOT NULL,
        quantity     integer       NOT NULL,
        PRIMARY KEY (id, sale_date, category)
    ) PARTITION BY RANGE (sale_date);

    -- Level 1: quarters, each itself partitioned. Level 2: categories within the quarter.
    CREATE TABLE app.sales_data_2024_q1 PARTITION OF app.sales_data
        FOR VALUES FROM ('2024-01-01') TO ('2024-04-01') PARTITION BY LIST (category);
    CREATE TABLE app.sales_data_2024_q2 PARTITION OF app.sales_data
        FOR VALUES FROM ('2024-04-01') TO ('2024-07-01') PARTITION BY LIST (category);

    CREATE TABLE app.sales_data_2024_q1_electronics PARTITION OF app.sales_data_2024_q1 FOR VALUES IN ('electronics');
    CREATE TABLE app.sales_data_2024_q1_clothing PARTITION OF app.sales_data_2024_q1 FOR VALUES IN ('clothing');
    CREATE TABLE app.sales_data_2024_q1_other PARTITION OF app.sales_data_2024_q1 DEFAULT;
    CREATE TABLE app.sales_data_2024_q2_electronics PARTITION OF app.sales_data_2024_q2 FOR VALUES IN ('electronics');
    CREATE TABLE app.sales_data_2024_q2_clothing PARTITION OF app.sales_data_2024_q2 FOR VALUES IN ('clothing');
    CREATE TABLE app.sales_data_2024_q2_other PARTITION OF app.sales_data_2024_q2 DEFAULT;

    INSERT INTO app.sales_data (id, sale_date, category, product_name, amount, quantity)
    SELECT id, sale_date, category, product_name, amount, quantity FROM app.sales_data_old;
    GET DIAGNOSTICS copied = ROW_COUNT;

    -- Declared on the root: every level and every leaf gets it.
    CREATE INDEX sales_data_sale_date_idx ON app.sales_data (sale_date);
    CREATE INDEX sales_data_category_idx ON app.sales_data (category);

    PERFORM lab.finish_migration('app.sales_data', copied, 'by quarter on sale_date, then by category: 6 leaves');
END
$migration$;
