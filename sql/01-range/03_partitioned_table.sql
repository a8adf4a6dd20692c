-- Lesson 01, step 3 (seed Variant A): app.events RANGE-partitioned by month on occurred_at.
-- The primary key includes occurred_at (step 2 shows why it must). One partition per month of
-- lab.year (default 2024), named events_YYYY_MM, and a DEFAULT partition for anything else.
-- Re-running the file starts the table over.
CREATE SCHEMA IF NOT EXISTS app;

DROP TABLE IF EXISTS app.events CASCADE;

CREATE TABLE app.events (
    id          uuid        NOT NULL,
    tenant_id   integer     NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

DO $$
DECLARE
    year  int := coalesce(nullif(current_setting('lab.year', true), ''), '2024')::int;
    month date;
BEGIN
    FOR m IN 1..12 LOOP
        month := make_date(year, m, 1);
        EXECUTE format(
            'CREATE TABLE app.%I PARTITION OF app.events FOR VALUES FROM (%L) TO (%L)',
            'events_' || to_char(month, 'YYYY_MM'),
            month::timestamptz,
            (month + interval '1 month')::timestamptz);
    END LOOP;
END
$$;

CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;

COMMENT ON TABLE app.events IS 'Partition Lab lesson 01: monthly RANGE partitions on occurred_at (seed Variant A)';
