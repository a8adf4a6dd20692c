-- Maintain.java run: the daily job for lab.table (every enabled table when unset), as of lab.today, retention applied
-- when lab.apply is true; the lines it said. Maintain.java holds the maintenance lock on a session of its own.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today, lab.apply;
-- online.lock_timeout_ms, online.lock_budget_ms (else each table's), online.hold_window_ms (a lesson looking at pg_locks).
-- refused input (an unknown table, a day outside the window) is refused here, before a run id is drawn: nothing changes
SELECT count(*) AS tables, maintenance.checked_day(coalesce(nullif(current_setting('lab.today', true), '')::date, current_date)) AS today
FROM maintenance.configured_tables(nullif(current_setting('lab.table', true), ''));
SELECT set_config('lab.run_id', nextval('maintenance.run_ids')::text, false) AS run_id;
CALL maintenance.run_maintenance_proc(nullif(current_setting('lab.table', true), ''),
                                      coalesce(nullif(current_setting('lab.today', true), '')::date, current_date),
                                      NOT coalesce(nullif(current_setting('lab.apply', true), '')::boolean, false),
                                      current_setting('lab.run_id')::bigint, take_lock => false, fail_on_error => false);
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.run_log WHERE run_id = current_setting('lab.run_id')::bigint ORDER BY seq;
