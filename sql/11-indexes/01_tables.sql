-- Lesson 11, step 1: the lesson's own tables on the partitioned node, started over on every run.
-- app.sensors: HASH (sensor_id) into 4 partitions, primary key sensor_id (the partition key itself).
-- app.readings: RANGE (taken_at), one partition per month of 2024 (readings_2024_01 .. _12), and no index
-- yet: step 2 builds it partition by partition. lab.rows_per_month readings a month (default 500), spread
-- evenly over the year, ids 1..12 * rows_per_month, over 200 sensors.
--   psql: SET lab.rows_per_month = 500;  then  \i 01_tables.sql  (or run it as is for the default)
CREATE SCHEMA IF NOT EXISTS app;

DROP TABLE IF EXISTS app.sensor_checks, app.readings, app.sensors CASCADE;

CREATE TABLE app.sensors (
    sensor_id integer PRIMARY KEY,
    kind      text    NOT NULL
) PARTITION BY HASH (sensor_id);

DO $$
BEGIN
    FOR r IN 0..3 LOOP
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.sensors FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
                       'sensors_r' || r, r);
    END LOOP;
END
$$;

CREATE TABLE app.readings (
    id        bigint       NOT NULL,
    sensor_id integer      NOT NULL,
    taken_at  timestamptz  NOT NULL,
    value     numeric(6,1) NOT NULL
) PARTITION BY RANGE (taken_at);

DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR m IN 1..12 LOOP
        month := make_date(2024, m, 1)::timestamp AT TIME ZONE 'UTC';
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.readings FOR VALUES FROM (%L) TO (%L)',
                       'readings_2024_' || lpad(m::text, 2, '0'), month, month + interval '1 month');
    END LOOP;
END
$$;

INSERT INTO app.sensors (sensor_id, kind)
SELECT s, (ARRAY['temperature', 'humidity', 'pressure'])[1 + s % 3]
FROM generate_series(1, 200) AS s;

INSERT INTO app.readings (id, sensor_id, taken_at, value)
SELECT n,
       1 + (n * 7919) % 200,
       timestamptz '2024-01-01 00:00+00' + (n - 1) * (interval '366 days' / total),
       round((n % 1000) / 10.0, 1)
FROM (SELECT 12 * coalesce(nullif(current_setting('lab.rows_per_month', true), ''), '500')::int AS total) AS t,
     generate_series(1, total) AS n;

SELECT (SELECT count(*) FROM app.sensors) AS sensors,
       (SELECT count(*) FROM app.readings) AS readings,
       (SELECT count(*) FROM pg_inherits WHERE inhparent = 'app.readings'::regclass) AS reading_partitions;
