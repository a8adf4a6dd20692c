-- Maintain.java create: the partitions from lab.from_month to lab.to_month (YYYY-MM) of lab.table, rows waiting in the
-- DEFAULT rescued; the lines it said.
-- Parameters (custom settings, empty or unset for the default): lab.table (required), lab.from_month, lab.to_month;
-- online.lock_timeout_ms, online.lock_budget_ms (else the table's), online.hold_window_ms.
-- refused input (an unknown table, a bad month range) is refused here, before a run id is drawn: nothing changes
SELECT (maintenance.config_for(current_setting('lab.table'))).parent_table,
       cardinality(maintenance.months_between(current_setting('lab.from_month'), current_setting('lab.to_month'))) AS months;
SELECT set_config('lab.run_id', nextval('maintenance.run_ids')::text, false) AS run_id;
CALL maintenance.create_partitions(current_setting('lab.table'), current_setting('lab.from_month'), current_setting('lab.to_month'),
                                   current_setting('lab.run_id')::bigint, fail_on_error => false);
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.run_log WHERE run_id = current_setting('lab.run_id')::bigint ORDER BY seq;
