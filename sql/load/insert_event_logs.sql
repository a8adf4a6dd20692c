-- Load simulator: one new event in app.event_logs, at a time in 2024 (most land in the DEFAULT partition, as
-- late and future data does). RETURNING id lets the simulator prove later that every row it wrote is there.
-- Needs sql/base/00_lab_functions.sql.
INSERT INTO app.event_logs (event_type, user_id, created_at, payload)
VALUES (lab.random_event_type(), lab.random_skewed_id(5000),
        lab.random_time('2024-01-01 00:00:00+00', '2025-01-01 00:00:00+00'),
        jsonb_build_object('source', 'load-simulator', 'duration_ms', floor(random() * 2000)::int))
RETURNING id;
