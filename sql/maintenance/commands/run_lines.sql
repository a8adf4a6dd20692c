-- Maintain.java: the lines run lab.run_id said (maintenance.run_log), in order.
-- Parameters (custom settings, empty or unset for the default): lab.run_id.
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.run_log WHERE run_id = current_setting('lab.run_id')::bigint ORDER BY seq;
