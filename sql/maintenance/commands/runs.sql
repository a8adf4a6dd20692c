-- Maintain.java and the service: the newest runs from the lock records (maintenance.runs), with their results
-- (running, ok, failed, interrupted).
-- Parameters (custom settings, empty or unset for the default): lab.trigger (cli, api, schedule, pg_cron, psql; default:
-- any), lab.limit (default 20).
SELECT r.id, r.what, r.trigger, r.parent_table, r.pid, r.started_at, r.finished_at, r.result, r.detail
FROM maintenance.runs r
WHERE r.trigger = coalesce(nullif(current_setting('lab.trigger', true), ''), r.trigger)
ORDER BY r.id DESC
LIMIT coalesce(nullif(current_setting('lab.limit', true), '')::int, 20);
