-- Lesson 01, step 1: the table most applications start with. One heap, a primary key on id and
-- nothing else: every query that filters on time has to read all of it.
CREATE SCHEMA IF NOT EXISTS app;

DROP TABLE IF EXISTS app.events_plain;

CREATE TABLE app.events_plain (
    id          uuid        NOT NULL PRIMARY KEY,
    tenant_id   integer     NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb
);

COMMENT ON TABLE app.events_plain IS 'Partition Lab lesson 01: the unpartitioned baseline';
