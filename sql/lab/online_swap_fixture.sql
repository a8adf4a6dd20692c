-- A table to try the online swap on (sql/online), and a plain twin to check it against: app.swap_demo, by month
-- on created_at (2024_01..2024_03 and a DEFAULT holding the rest of 2024), and app.swap_demo_twin, an ordinary
-- table with the same rows. lab.swap_demo_write(rounds, month) makes the same changes to both (inserts, updates,
-- deletes, and updates that move rows between months), the way an application would; after any swap the two must
-- hold the same rows. Parameters: lab.rows (default 20000). Starts over when run again.
-- Needs sql/online/install.sql.
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS lab;
SELECT online.forget(to_regclass('app.swap_demo')) WHERE to_regclass('app.swap_demo') IS NOT NULL;
DROP TABLE IF EXISTS app.swap_demo, app.swap_demo_twin CASCADE;
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT oid::regclass FROM pg_class
             WHERE relkind = 'r' AND relnamespace = 'app'::regnamespace AND relname LIKE 'swap\_demo\_%' AND NOT relispartition LOOP
        EXECUTE format('DROP TABLE %s', t); -- left detached or staged by an earlier try
    END LOOP;
END
$$;

CREATE TABLE app.swap_demo (
    id         bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    payload    text,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX swap_demo_created_at_idx ON app.swap_demo (created_at);
CREATE TABLE app.swap_demo_2024_01 PARTITION OF app.swap_demo FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
CREATE TABLE app.swap_demo_2024_02 PARTITION OF app.swap_demo FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');
CREATE TABLE app.swap_demo_2024_03 PARTITION OF app.swap_demo FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
CREATE TABLE app.swap_demo_default PARTITION OF app.swap_demo DEFAULT;
-- rows spread evenly over 2024, so every month has some
INSERT INTO app.swap_demo (id, created_at, payload)
SELECT g, '2024-01-01 00:00:00+00'::timestamptz + (g - 1) * (interval '366 days' / n.rows), 'row ' || g
FROM (SELECT coalesce(nullif(current_setting('lab.rows', true), ''), '20000')::int AS rows) AS n, generate_series(1, n.rows) AS g;
CREATE TABLE app.swap_demo_twin AS SELECT * FROM app.swap_demo;
ANALYZE app.swap_demo;

-- Changes an application makes to the rows of one month, the same to both tables: per round, two new rows in the
-- month, a changed payload, a deleted row, a row moved out to the next month and one moved in from it (a
-- cross-partition UPDATE is a DELETE and an INSERT). Returns the row changes that touched the month in
-- app.swap_demo: 6 a round, which is what a capture on the month's partition records.
CREATE OR REPLACE FUNCTION lab.swap_demo_write(rounds int, month text DEFAULT '2024-02') RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    first_day timestamptz := (month || '-01 00:00:00+00')::timestamptz;
    next_day  timestamptz := (month || '-01 00:00:00+00')::timestamptz + interval '1 month';
    t         text;
    changed   bigint := 0;
    done      bigint;
    next_id   bigint;
BEGIN
    FOR i IN 1 .. rounds LOOP
        next_id := (SELECT coalesce(max(id), 0) + 1 FROM app.swap_demo_twin);
        FOREACH t IN ARRAY ARRAY['app.swap_demo', 'app.swap_demo_twin'] LOOP
            EXECUTE format($w$INSERT INTO %1$s VALUES ($1, $2 + $1 * interval '1 second', 'new'), ($1 + 1, $2 + interval '9 days', 'new')$w$, t)
                USING next_id, first_day;
            GET DIAGNOSTICS done = ROW_COUNT;
            changed := changed + CASE WHEN t = 'app.swap_demo' THEN done ELSE 0 END;
            EXECUTE format($w$UPDATE %1$s SET payload = 'changed'
                              WHERE id = (SELECT min(id) FROM %1$s WHERE created_at >= $1 AND created_at < $2 AND payload LIKE 'row %%')$w$, t)
                USING first_day, next_day;
            GET DIAGNOSTICS done = ROW_COUNT;
            changed := changed + CASE WHEN t = 'app.swap_demo' THEN done ELSE 0 END;
            EXECUTE format($w$DELETE FROM %1$s WHERE id = (SELECT max(id) FROM %1$s WHERE created_at >= $1 AND created_at < $2 AND payload LIKE 'row %%')$w$, t)
                USING first_day, next_day;
            GET DIAGNOSTICS done = ROW_COUNT;
            changed := changed + CASE WHEN t = 'app.swap_demo' THEN done ELSE 0 END;
            EXECUTE format($w$UPDATE %1$s SET created_at = created_at + interval '1 month', payload = 'moved out'
                              WHERE id = (SELECT min(id) FROM %1$s WHERE created_at >= $1 AND created_at < $2 - interval '3 days' AND payload LIKE 'row %%')$w$, t)
                USING first_day, next_day;
            GET DIAGNOSTICS done = ROW_COUNT;
            changed := changed + CASE WHEN t = 'app.swap_demo' THEN done ELSE 0 END;
            EXECUTE format($w$UPDATE %1$s SET created_at = created_at - interval '1 month', payload = 'moved in'
                              WHERE id = (SELECT min(id) FROM %1$s WHERE created_at >= $2 + interval '3 days' AND created_at < $2 + interval '1 month' AND payload LIKE 'row %%')$w$, t)
                USING first_day, next_day;
            GET DIAGNOSTICS done = ROW_COUNT;
            changed := changed + CASE WHEN t = 'app.swap_demo' THEN done ELSE 0 END;
        END LOOP;
    END LOOP;
    RETURN changed;
END
$$;

SELECT 'app.swap_demo' AS table_name, count(*) AS row_count FROM app.swap_demo;
