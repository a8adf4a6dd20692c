-- Migration LIST: app.orders_by_region becomes a table LIST-partitioned on region, in ONE transaction (this DO
-- block): the ordinary table steps aside as app.orders_by_region_old (kept for comparison), the partitioned
-- table takes its name, id sequence and index names, and every row is copied.
--
-- Locks: ACCESS EXCLUSIVE on app.orders_by_region from lab.begin_migration to the commit (under the lock
-- discipline; given up, nothing changed): every reader and every writer waits for the whole copy and index build.
--
-- Partitions: north_america, europe and asia_pacific list their regions; other is the DEFAULT and takes every
-- region no partition lists (sa-east, me-south, af-south today, and any region added tomorrow).
--
-- Safe to run twice: when app.orders_by_region is already partitioned it says so and changes nothing.
-- Needs sql/online/install.sql, sql/base/00_lab_functions.sql and sql/base/orders_by_region.sql.
DO $migration$
DECLARE
    copied bigint;
BEGIN
    IF NOT lab.begin_migration('app.orders_by_region') THEN
        RETURN; -- already partitioned: nothing to do
    END IF;

    -- The primary key must include the partition key, region.
    CREATE TABLE app.orders_by_region (
        id          bigint        NOT NULL DEFAULT nextval('app.orders_by_region_id_seq'),
        customer_id bigint        NOT NULL,
        region      text          NOT NULL,
        amount      numeric(10,2) NOT NULL,
        status      text          NOT NULL,
        created_at  timestamptz   NOT NULL,
        PRIMARY KEY (id, region)
    ) PARTITION BY LIST (region);

    CREATE TABLE app.orders_by_region_north_america PARTITION OF app.orders_by_region
        FOR VALUES IN ('us-east', 'us-west', 'ca-central');
    CREATE TABLE app.orders_by_region_europe PARTITION OF app.orders_by_region
        FOR VALUES IN ('eu-west', 'eu-central', 'eu-north');
    CREATE TABLE app.orders_by_region_asia_pacific PARTITION OF app.orders_by_region
        FOR VALUES IN ('ap-southeast', 'ap-northeast', 'ap-south');
    CREATE TABLE app.orders_by_region_other PARTITION OF app.orders_by_region DEFAULT;

    INSERT INTO app.orders_by_region (id, customer_id, region, amount, status, created_at)
    SELECT id, customer_id, region, amount, status, created_at FROM app.orders_by_region_old;
    GET DIAGNOSTICS copied = ROW_COUNT;

    CREATE INDEX orders_by_region_region_idx ON app.orders_by_region (region);
    CREATE INDEX orders_by_region_customer_id_idx ON app.orders_by_region (customer_id);
    CREATE INDEX orders_by_region_created_at_idx ON app.orders_by_region (created_at);

    PERFORM lab.finish_migration('app.orders_by_region', copied, 'by region (north_america, europe, asia_pacific, other as the DEFAULT)');
END
$migration$;
