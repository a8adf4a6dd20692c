-- Lesson 11, step 7: app.sensor_checks, HASH (sensor_id) with the same 4 partitions as app.sensors, 20
-- checks a sensor, and statistics for both: partitions that match one to one let the planner join (and
-- group) partition by partition.
DROP TABLE IF EXISTS app.sensor_checks;

CREATE TABLE app.sensor_checks (
    sensor_id  integer     NOT NULL,
    checked_at timestamptz NOT NULL,
    ok         boolean     NOT NULL
) PARTITION BY HASH (sensor_id);

DO $$
BEGIN
    FOR r IN 0..3 LOOP
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.sensor_checks FOR VALUES WITH (MODULUS 4, REMAINDER %s)',
                       'sensor_checks_r' || r, r);
    END LOOP;
END
$$;

INSERT INTO app.sensor_checks (sensor_id, checked_at, ok)
SELECT s, timestamptz '2024-01-01 00:00+00' + c * interval '18 days', (s + c) % 10 <> 0
FROM generate_series(1, 200) AS s, generate_series(1, 20) AS c;

ANALYZE app.sensors, app.sensor_checks;
