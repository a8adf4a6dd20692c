-- Load simulator: one new reading in app.readings, recorded now (a time series grows at its end).
-- RETURNING id lets the simulator prove later that every row it wrote is there. Needs sql/base/00_lab_functions.sql.
INSERT INTO app.readings (sensor_id, recorded_at, value, status)
VALUES (lab.random_skewed_id(500)::int, now(), round((random() * 100)::numeric, 2)::float8,
        lab.pick(ARRAY['ok', 'warn', 'fail'], ARRAY[94, 5, 1]))
RETURNING id;
