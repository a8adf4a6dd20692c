-- Lesson 01, step 4: indexes declared once, on the parent. PostgreSQL creates the matching index on
-- every partition (and on every partition created later) and attaches it to the parent index.
-- Built after the load, as one would for a bulk import.
CREATE INDEX IF NOT EXISTS events_occurred_at_idx        ON app.events (occurred_at);
CREATE INDEX IF NOT EXISTS events_tenant_id_idx          ON app.events (tenant_id);
CREATE INDEX IF NOT EXISTS events_tenant_occurred_at_idx ON app.events (tenant_id, occurred_at);
ANALYZE app.events;
ANALYZE app.events_plain;
