-- Scenario detach, step 1 of 2: the rows of a month partition (app.event_logs_2024_01 by default) copied into
-- app.event_logs_archive, an ordinary table with archived_at and archive_reason. Writers go on meanwhile.
-- Parameter: lab.month (YYYY-MM, default 2024-01). Needs sql/repartition/00_functions.sql and 01_scenarios.sql.
-- Then: detach_2_detach.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-01'), false);
SELECT * FROM lab.plan_detach(current_setting('lab.month'));
CREATE TABLE IF NOT EXISTS app.event_logs_archive (
    id             bigint      NOT NULL,
    event_type     text        NOT NULL,
    user_id        bigint      NOT NULL,
    created_at     timestamptz NOT NULL,
    payload        jsonb,
    archived_at    timestamptz NOT NULL DEFAULT now(),
    archive_reason text        NOT NULL,
    PRIMARY KEY (id, created_at)
);
COMMENT ON TABLE app.event_logs_archive IS 'Partition Lab: rows of detached app.event_logs partitions (cleanup restores them)';
SELECT lab.archive_month(current_setting('lab.month')) AS rows_archived;
