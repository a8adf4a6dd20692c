-- The lock records: a run ends (maintenance.run_finished), on the session that still holds the maintenance lock.
-- Parameters (custom settings, empty or unset for the default): lab.run_id (required), lab.ok (required), lab.detail.
SELECT true AS recorded
FROM maintenance.run_finished(current_setting('lab.run_id')::bigint, current_setting('lab.ok')::boolean,
                              nullif(current_setting('lab.detail', true), ''));
