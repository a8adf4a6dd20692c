-- Maintain.java bench, the lab's side: maintbench.lab_events started over as the daily run finds it on a day with
-- work to do. Partitioned by month on created_at, with a DEFAULT (empty); lab.rows rows spread evenly over the 24
-- months up to and including this one (UTC); partitions from 23 months ago to 2 months ahead, so that with 3 months
-- ahead and 12 months of retention the run creates one month and drops eleven. Analyzed, and registered with the
-- partition manager as pg_partman is configured for its twin (partman_table.sql, which copies this table's shape
-- and takes its rows from the same maintbench.events(n)).
-- Parameters (custom settings): lab.rows.
CREATE SCHEMA IF NOT EXISTS maintbench;

-- n events spread evenly over the 24 months up to and including this one (UTC), the same for both twins
CREATE OR REPLACE FUNCTION maintbench.events(n integer) RETURNS TABLE (created_at timestamptz, user_id integer, payload text)
LANGUAGE sql STABLE AS $$
    SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '23 months' + interval '1 month' * (i % 24)) AT TIME ZONE 'UTC'
               + interval '1 minute' * (i / 24 % 40000), i % 1000, 'event ' || i
    FROM generate_series(1, n) AS i
$$;
DO $$
BEGIN
    IF to_regclass('maintbench.lab_events') IS NOT NULL THEN
        PERFORM online.forget('maintbench.lab_events'::regclass);
    END IF;
END
$$;
DROP TABLE IF EXISTS maintbench.lab_events;
CREATE TABLE maintbench.lab_events (
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    created_at timestamptz NOT NULL,
    user_id    integer     NOT NULL,
    payload    text,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX ON maintbench.lab_events (user_id, created_at);
DO $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    m          date;
BEGIN
    FOR m IN SELECT g::date FROM generate_series(this_month - interval '23 months', this_month + interval '2 months', interval '1 month') AS g LOOP
        EXECUTE format('CREATE TABLE maintbench.%I PARTITION OF maintbench.lab_events FOR VALUES FROM (%L) TO (%L)',
                       'lab_events_p' || to_char(m, 'YYYY_MM'), m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END
$$;
CREATE TABLE maintbench.lab_events_default PARTITION OF maintbench.lab_events DEFAULT;
INSERT INTO maintbench.lab_events (created_at, user_id, payload) SELECT * FROM maintbench.events(current_setting('lab.rows')::int);
ANALYZE maintbench.lab_events;
SELECT parent_table, retention_months, premake_months
FROM maintenance.register_table('maintbench.lab_events', 'created_at', 12, 3, '{table}_p{YYYY}_{MM}', '{table}_default', 'drop');
