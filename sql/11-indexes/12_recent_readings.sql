-- Lesson 11, step 6: app.recent_readings, RANGE (taken_at) by month over the last 12 months, the current
-- one included (recent_readings_YYYY_MM, from now() in UTC), with one reading an hour until now. Started over
-- on every run, so its months follow the calendar.
DROP TABLE IF EXISTS app.recent_readings;

CREATE TABLE app.recent_readings (
    sensor_id integer      NOT NULL,
    taken_at  timestamptz  NOT NULL,
    value     numeric(6,1) NOT NULL
) PARTITION BY RANGE (taken_at);

DO $$
DECLARE
    this_month timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month      timestamp;
BEGIN
    FOR back IN REVERSE 11..0 LOOP
        month := this_month - make_interval(months => back);
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.recent_readings FOR VALUES FROM (%L) TO (%L)',
                       'recent_readings_' || to_char(month, 'YYYY_MM'),
                       month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
    END LOOP;
END
$$;

INSERT INTO app.recent_readings (sensor_id, taken_at, value)
SELECT 1 + (extract(epoch FROM t)::bigint / 3600) % 200, t, 20.0
FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '11 months',
                     now(), interval '1 hour') AS t;

ANALYZE app.recent_readings;
