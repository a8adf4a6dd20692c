-- Maintain.java retention --apply: retention applied to lab.table (every enabled table when unset) as of lab.today, one
-- window per partition (maintenance.apply_retention); the lines it said.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today, lab.retention_months (overrides
-- the config); online.lock_timeout_ms, online.lock_budget_ms (else each table's), online.hold_window_ms.
-- refused input (an unknown table, a retention out of bounds, a day outside the window) is refused here, before a run
-- id is drawn: nothing changes
SELECT count(*) AS tables, maintenance.checked_retention(nullif(current_setting('lab.retention_months', true), '')::int) AS retention,
       maintenance.checked_day(coalesce(nullif(current_setting('lab.today', true), '')::date, current_date)) AS today
FROM maintenance.configured_tables(nullif(current_setting('lab.table', true), ''));
SELECT set_config('lab.run_id', nextval('maintenance.run_ids')::text, false) AS run_id;
CALL maintenance.apply_retention(nullif(current_setting('lab.table', true), ''),
                                 coalesce(nullif(current_setting('lab.today', true), '')::date, current_date),
                                 nullif(current_setting('lab.retention_months', true), '')::int,
                                 current_setting('lab.run_id')::bigint, fail_on_error => false);
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.run_log WHERE run_id = current_setting('lab.run_id')::bigint ORDER BY seq;
