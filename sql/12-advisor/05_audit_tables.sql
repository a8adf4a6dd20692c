-- Seed 003's four audit tables as the application has them BEFORE partitioning: ordinary tables in schema audit,
-- with the columns lesson 06 partitions (sql/06-maintenance/01_tables.sql) but a primary key on id alone, and rows
-- over recent months. Their ids come from a sequence default (bigserial), as the online migration needs: it moves the
-- sequence to the partitioned table at the switch (an identity column it refuses, with the reason). In database advisor only (lesson 06's partitioned audit.* in database app stays as it is).
-- Needs sql/base/00_lab_functions.sql. Parameters (AdvisorCases sets them from the scale; defaults for psql):
--   lab.audit_logs_rows      default 3000 (ci 7,500, demo 75,000, full 1,500,000), the last 12 months and this one
--   lab.object_history_rows  default 2400 (ci 6,000, demo 60,000, full 1,200,000), the last 12 months and this one
--   lab.slow_query_log_rows  default  600 (ci 1,500, demo 15,000, full   300,000), the last 6 months: too small
--   lab.chat_messages_rows   default 2400 (ci 6,000, demo 60,000, full 1,200,000), the last 3 months
-- Starts over: the schema is the cases' own.
DROP SCHEMA IF EXISTS audit CASCADE;
CREATE SCHEMA audit;

CREATE TABLE audit.audit_logs (
    id          bigserial   PRIMARY KEY,
    created_at  timestamptz NOT NULL,
    user_id     integer     NOT NULL,
    action      text        NOT NULL,
    object_type text        NOT NULL,
    object_id   text        NOT NULL,
    details     jsonb
);
CREATE INDEX ON audit.audit_logs (user_id, created_at);

CREATE TABLE audit.object_history (
    id          bigserial   PRIMARY KEY,
    changed_at  timestamptz NOT NULL,
    object_id   text        NOT NULL,
    object_type text        NOT NULL,
    change_type text        NOT NULL,
    old_value   jsonb,
    new_value   jsonb,
    changed_by  integer     NOT NULL
);
CREATE INDEX ON audit.object_history (object_id, changed_at);

CREATE TABLE audit.slow_query_log (
    id            bigserial        PRIMARY KEY,
    "timestamp"   timestamptz      NOT NULL,
    query_text    text             NOT NULL,
    duration_ms   double precision NOT NULL,
    rows_returned bigint           NOT NULL,
    database_user text             NOT NULL
);
CREATE INDEX ON audit.slow_query_log (duration_ms);

CREATE TABLE audit.chat_messages (
    id         bigserial   PRIMARY KEY,
    created_at timestamptz NOT NULL,
    room_id    integer     NOT NULL,
    sender_id  integer     NOT NULL,
    body       text        NOT NULL
);
CREATE INDEX ON audit.chat_messages (room_id, created_at);

SELECT setseed(0.45);

INSERT INTO audit.audit_logs (created_at, user_id, action, object_type, object_id, details)
SELECT lab.random_time(date_trunc('month', now()) - interval '12 months', now()),
       lab.random_skewed_id(2000)::int,
       lab.pick(ARRAY['view', 'update', 'create', 'delete', 'login'], ARRAY[50, 25, 12, 5, 8]),
       lab.pick(ARRAY['building', 'floor', 'room', 'device'], ARRAY[10, 20, 40, 30]),
       'obj_' || (random() * 10000)::int,
       jsonb_build_object('ip', '10.0.' || (random() * 255)::int || '.' || (random() * 255)::int)
FROM generate_series(1, coalesce(nullif(current_setting('lab.audit_logs_rows', true), ''), '3000')::int);

INSERT INTO audit.object_history (changed_at, object_id, object_type, change_type, old_value, new_value, changed_by)
SELECT lab.random_time(date_trunc('month', now()) - interval '12 months', now()),
       'room_' || lab.random_skewed_id(5000),
       lab.pick(ARRAY['building', 'floor', 'room', 'device'], ARRAY[10, 20, 40, 30]),
       lab.pick(ARRAY['update', 'create', 'delete'], ARRAY[80, 15, 5]),
       jsonb_build_object('v', (random() * 100)::int),
       jsonb_build_object('v', (random() * 100)::int),
       lab.random_skewed_id(2000)::int
FROM generate_series(1, coalesce(nullif(current_setting('lab.object_history_rows', true), ''), '2400')::int);

INSERT INTO audit.slow_query_log ("timestamp", query_text, duration_ms, rows_returned, database_user)
SELECT lab.random_time(date_trunc('month', now()) - interval '6 months', now()),
       lab.pick(ARRAY['SELECT * FROM rooms WHERE floor_id = $1', 'SELECT count(*) FROM devices', 'UPDATE rooms SET name = $1 WHERE id = $2'],
                ARRAY[60, 30, 10]),
       round((200 + power(random(), 4) * 20000)::numeric, 1)::float8,
       (random() * 10000)::bigint,
       lab.pick(ARRAY['app', 'report', 'admin'], ARRAY[80, 15, 5])
FROM generate_series(1, coalesce(nullif(current_setting('lab.slow_query_log_rows', true), ''), '600')::int);

INSERT INTO audit.chat_messages (created_at, room_id, sender_id, body)
SELECT lab.random_time(date_trunc('month', now()) - interval '3 months', now()),
       lab.random_skewed_id(300)::int,
       lab.random_skewed_id(2000)::int,
       'message ' || md5(random()::text)
FROM generate_series(1, coalesce(nullif(current_setting('lab.chat_messages_rows', true), ''), '2400')::int);

ANALYZE audit.audit_logs, audit.object_history, audit.slow_query_log, audit.chat_messages;

SELECT 'audit.audit_logs' AS table_name, count(*) AS row_count FROM audit.audit_logs
UNION ALL SELECT 'audit.object_history', count(*) FROM audit.object_history
UNION ALL SELECT 'audit.slow_query_log', count(*) FROM audit.slow_query_log
UNION ALL SELECT 'audit.chat_messages', count(*) FROM audit.chat_messages;
