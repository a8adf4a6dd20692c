-- The limits, cleanup (coordinator): removes every row the demonstrations wrote (on whichever shard it sits), the
-- helper view and the table limit 2 tried to create. The loaded events are untouched.
DELETE FROM app.events_sharded WHERE event_type LIKE 'lab_limit%';
DROP TABLE IF EXISTS app.lab_limit_event_notes;
DROP VIEW IF EXISTS app.lab_limit_tenants;
