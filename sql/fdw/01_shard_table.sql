-- Lesson 07, step 1 (run on each shard, seed Variant B): the shard's own events table, app.events_shard, holding
-- the tenants that hash to this shard. Same columns as app.events; the seed's indexes live here, on the shard, because
-- a foreign table on the coordinator can have none. The primary key on id is unique on this shard only (lesson 08's
-- first limit). app.shard_stats is what the coordinator's monitoring reads through postgres_fdw: rows and size here.
-- app.shard_bounds records which hash bounds of the coordinator's table this shard holds (written by step 6), so that
-- a read a client routes here by its own copy of the map can be checked against it (sql/fdw/routed_read.sql).
-- Re-running the file starts the shard over (empty).
--   psql "postgresql://app:app@localhost:54323/app" -f sql/fdw/01_shard_table.sql
CREATE SCHEMA IF NOT EXISTS app;

DROP TABLE IF EXISTS app.events_shard CASCADE;

CREATE TABLE app.events_shard (
    id          uuid        NOT NULL PRIMARY KEY,
    tenant_id   integer     NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb
);

CREATE INDEX events_shard_occurred_at_idx        ON app.events_shard (occurred_at);
CREATE INDEX events_shard_tenant_id_idx          ON app.events_shard (tenant_id);
CREATE INDEX events_shard_tenant_occurred_at_idx ON app.events_shard (tenant_id, occurred_at);

COMMENT ON TABLE app.events_shard IS 'Partition Lab lesson 07: one shard of app.events_sharded (postgres_fdw)';

DROP TABLE IF EXISTS app.shard_bounds;

CREATE TABLE app.shard_bounds (
    shard_table text NOT NULL,
    modulus     int  NOT NULL CHECK (modulus > 0),
    remainder   int  NOT NULL CHECK (remainder >= 0 AND remainder < modulus),
    PRIMARY KEY (shard_table, modulus, remainder)
);

COMMENT ON TABLE app.shard_bounds IS 'Partition Lab: the hash bounds of app.events_sharded this shard holds (fdw/06_shard_bounds.sql)';

CREATE VIEW app.shard_stats AS
SELECT current_setting('port')::int                         AS port,
       (SELECT count(*) FROM app.events_shard)               AS row_count,
       pg_total_relation_size('app.events_shard'::regclass)  AS total_bytes;
