-- Lesson 01, step 5: a row outside every monthly range. Without a DEFAULT partition the INSERT would
-- fail ("no partition of relation "events" found for row"); with one, it lands there. The same row goes
-- into the plain table so the two stay comparable. tableoid tells which partition holds a row.
INSERT INTO app.events (id, tenant_id, occurred_at, event_type, payload)
VALUES ('00000000-0000-4000-8000-000000000001', 1, '2025-03-15 12:00:00+00', 'late_arrival', '{"lesson": 1}')
ON CONFLICT DO NOTHING;

INSERT INTO app.events_plain (id, tenant_id, occurred_at, event_type, payload)
VALUES ('00000000-0000-4000-8000-000000000001', 1, '2025-03-15 12:00:00+00', 'late_arrival', '{"lesson": 1}')
ON CONFLICT DO NOTHING;

SELECT format('%I.%I', n.nspname, c.relname) AS landed_in, e.id, e.occurred_at
FROM app.events e
JOIN pg_class c ON c.oid = e.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE e.id = '00000000-0000-4000-8000-000000000001';
