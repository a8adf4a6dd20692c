-- Lesson 07, step 3 (run on the coordinator, after step 2): app.events_sharded, HASH-partitioned on tenant_id into two
-- foreign partitions. A row is routed here by the hash of its tenant_id, then stored on that partition's shard:
--   app.events_mod2_r0 (MODULUS 2, REMAINDER 0) -> shard1's app.events_shard
--   app.events_mod2_r1 (MODULUS 2, REMAINDER 1) -> shard2's app.events_shard
-- No primary key and no index: a foreign table can have neither, so nothing here is unique across shards.
-- Re-running the file starts the table over (the shards' rows stay where they are; run step 1 on them to empty them).
--   psql "postgresql://app:app@localhost:54325/app" -f sql/fdw/03_events_sharded.sql
DROP TABLE IF EXISTS app.events_sharded CASCADE;

CREATE TABLE app.events_sharded (
    id          uuid        NOT NULL,
    tenant_id   integer     NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb
) PARTITION BY HASH (tenant_id);

CREATE FOREIGN TABLE app.events_mod2_r0 PARTITION OF app.events_sharded
    FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard1 OPTIONS (schema_name 'app', table_name 'events_shard');

CREATE FOREIGN TABLE app.events_mod2_r1 PARTITION OF app.events_sharded
    FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard2 OPTIONS (schema_name 'app', table_name 'events_shard');

COMMENT ON TABLE app.events_sharded IS 'Partition Lab lesson 07: seed Variant B, hash-sharded by tenant_id over postgres_fdw';
