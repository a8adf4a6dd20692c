-- Maintain.java create-missing: every missing month of lab.table (every enabled table when unset) as of lab.today, rows
-- waiting in the DEFAULT rescued; the lines it said.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today; online.lock_timeout_ms,
-- online.lock_budget_ms (else each table's), online.hold_window_ms.
-- refused input (an unknown table, a day outside the window) is refused here, before a run id is drawn: nothing changes
SELECT count(*) AS tables, maintenance.checked_day(coalesce(nullif(current_setting('lab.today', true), '')::date, current_date)) AS today
FROM maintenance.configured_tables(nullif(current_setting('lab.table', true), ''));
SELECT set_config('lab.run_id', nextval('maintenance.run_ids')::text, false) AS run_id;
CALL maintenance.create_missing_partitions(nullif(current_setting('lab.table', true), ''),
                                           coalesce(nullif(current_setting('lab.today', true), '')::date, current_date),
                                           current_setting('lab.run_id')::bigint, fail_on_error => false);
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.run_log WHERE run_id = current_setting('lab.run_id')::bigint ORDER BY seq;
