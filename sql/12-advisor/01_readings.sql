-- app.readings: a sensor time series in an ordinary table, the advisor's clear candidate (range by month on
-- recorded_at). Queried by time range, mostly the recent days. Needs sql/base/00_lab_functions.sql.
-- Parameters: lab.rows (rows to seed, default 2000; lab.AdvisorCases: ci 10,000, demo 100,000, full 2,000,000, twice
-- the "too small" threshold of Advisor.Options.forScale, so a candidate at every scale), lab.seed (same seed, same rows;
-- default 0.42). The rows spread over the 12 months before the current one and the current month up to now, so
-- that the retention the advisor suggests never reaches data the calendar still needs.
-- Starts over: drops app.readings and what a migration of it kept (app.readings_old, app.readings_next, and
-- through online.forget what an online migration left half way).
DO $$
BEGIN
    IF to_regclass('app.readings') IS NOT NULL AND to_regprocedure('online.forget(regclass)') IS NOT NULL THEN
        EXECUTE 'SELECT online.forget(''app.readings'')';
    END IF;
END
$$;
DROP TABLE IF EXISTS app.readings, app.readings_old, app.readings_next, app.readings_partitioned CASCADE;

CREATE TABLE app.readings (
    id          bigserial        PRIMARY KEY,
    sensor_id   integer          NOT NULL,
    recorded_at timestamptz      NOT NULL,
    value       double precision NOT NULL,
    status      text             NOT NULL
);
CREATE INDEX readings_recorded_at_idx ON app.readings (recorded_at);
CREATE INDEX readings_sensor_id_recorded_at_idx ON app.readings (sensor_id, recorded_at);

COMMENT ON TABLE app.readings IS 'Partition Lab: sensor readings, the last 12 months and this one. An ordinary table: NOT partitioned yet.';

SELECT setseed(coalesce(nullif(current_setting('lab.seed', true), ''), '0.42')::float8);

-- 500 sensors, a few far busier than the rest; nearly every reading 'ok'.
INSERT INTO app.readings (sensor_id, recorded_at, value, status)
SELECT lab.random_skewed_id(500)::int,
       lab.random_time(date_trunc('month', now()) - interval '12 months', now()),
       round((random() * 100)::numeric, 2)::float8,
       lab.pick(ARRAY['ok', 'warn', 'fail'], ARRAY[94, 5, 1])
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '2000')::int);

ANALYZE app.readings;

SELECT 'app.readings' AS table_name, count(*) AS row_count, min(recorded_at) AS first_reading, max(recorded_at) AS last_reading
FROM app.readings;
