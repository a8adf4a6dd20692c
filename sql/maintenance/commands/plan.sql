-- Maintain.java run when it may only plan (its --today is not the server's date and time travel was not allowed): what
-- the daily run would do for lab.table (every enabled table when unset) as of lab.today, from maintenance.daily_plan.
-- Reads only: no run id, no line in maintenance.run_log, no partition made or retired.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts
FROM maintenance.daily_plan(nullif(current_setting('lab.table', true), ''),
                            coalesce(nullif(current_setting('lab.today', true), '')::date, current_date));
