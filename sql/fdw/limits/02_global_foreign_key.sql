-- Limit 2 (coordinator; fails on purpose): no global foreign keys. A foreign key needs a unique constraint on the
-- referenced columns, which app.events_sharded cannot have (limit 1). Expected: ERROR there is no unique constraint
-- matching given keys for referenced table "events_sharded" (SQLSTATE 42830). Nor could a shard's table reference
-- rows on the other shard: each shard sees only its own.
CREATE TABLE app.lab_limit_event_notes (
    event_id uuid REFERENCES app.events_sharded (id),
    note     text
);
