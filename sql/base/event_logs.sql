-- app.event_logs: application events over 2024 in an ordinary table, NOT partitioned yet (the range lesson
-- migrates it with sql/migrate/range_event_logs.sql, or online with sql/migrate/online/). Needs
-- sql/base/00_lab_functions.sql.
-- Parameters: lab.rows (rows to seed, default 300), lab.seed (same seed, same rows; default 0.42), lab.from_month and
-- lab.to_month (YYYY-MM, both included: the months the rows spread over; default 2024-01 and 2024-12).
-- Starts over: drops app.event_logs, the app.event_logs_old a migration kept, the app.event_logs_next an online
-- migration prepared, and what re-partitioning left (the archive, a month a detach took out and did not archive,
-- and, through online.forget, what an online swap or online migration left half way).
DO $$
DECLARE
    leftover regclass;
BEGIN
    IF to_regclass('app.event_logs') IS NOT NULL AND to_regprocedure('online.forget(regclass)') IS NOT NULL THEN
        EXECUTE 'SELECT online.forget(''app.event_logs'')';
    END IF;
    FOR leftover IN SELECT oid::regclass FROM pg_class
                    WHERE relkind = 'r' AND NOT relispartition
                      AND obj_description(oid, 'pg_class') LIKE 'Partition Lab: detached from app.event_logs %'
    LOOP
        EXECUTE format('DROP TABLE %s', leftover);
    END LOOP;
END
$$;
DROP TABLE IF EXISTS app.event_logs, app.event_logs_old, app.event_logs_next, app.event_logs_archive CASCADE;

CREATE TABLE app.event_logs (
    id         bigserial   PRIMARY KEY,
    event_type text        NOT NULL,
    user_id    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    payload    jsonb
);
CREATE INDEX event_logs_created_at_idx ON app.event_logs (created_at);
CREATE INDEX event_logs_user_id_idx ON app.event_logs (user_id);
CREATE INDEX event_logs_event_type_idx ON app.event_logs (event_type);

COMMENT ON TABLE app.event_logs IS 'Partition Lab: events over 2024. An ordinary table: NOT partitioned yet.';

SELECT setseed(coalesce(nullif(current_setting('lab.seed', true), ''), '0.42')::float8);

-- Spread over the months asked for (all of 2024 by default); a few very active users produce most events.
INSERT INTO app.event_logs (event_type, user_id, created_at, payload)
SELECT lab.random_event_type(),
       lab.random_skewed_id(5000),
       lab.random_time((coalesce(nullif(current_setting('lab.from_month', true), ''), '2024-01') || '-01 00:00:00+00')::timestamptz,
                       (coalesce(nullif(current_setting('lab.to_month', true), ''), '2024-12') || '-01 00:00:00+00')::timestamptz
                           + interval '1 month'),
       jsonb_build_object('source', lab.pick(ARRAY['web', 'ios', 'android'], ARRAY[60, 25, 15]),
                          'duration_ms', floor(random() * 2000)::int)
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '300')::int);

ANALYZE app.event_logs;

SELECT 'app.event_logs' AS table_name, count(*) AS row_count, min(created_at) AS first_event, max(created_at) AS last_event
FROM app.event_logs;
