-- Scenario split, step 1 of 3. Released PostgreSQL (before 19) has no SPLIT PARTITION, so a month partition
-- (app.event_logs_2024_02 by default) is replaced, online, by its four weeks: days 1-7, 8-14, 15-21, and the 22nd to the
-- end of the month (the partial week: 8 days in February 2024). This step begins the swap (a trigger on the month
-- captures every change from then on; the weeks are created empty and standalone with CHECKs matching their bounds; the
-- DEFAULT, which stays, gets a CHECK excluding the month, added NOT VALID) and copies the month's rows into the weeks
-- in batches, then validates that CHECK, while readers and writers go on; more than online.catch_up_rows changes made
-- meanwhile (default 200) are caught up with in rounds, so that the window is left few.
-- Parameters: lab.month (YYYY-MM, default 2024-02); online.lock_timeout_ms and online.lock_budget_ms (the discipline).
-- Needs sql/online/install.sql, sql/repartition/00_functions.sql and 01_scenarios.sql. Run it outside a transaction
-- block (each batch commits on its own). Then: split_2_swap.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-02'), false);
SELECT step, name, action, locks, row_count FROM lab.plan_split(current_setting('lab.month'));
CALL lab.stage_swap('split', current_setting('lab.month'));
SELECT swap_id, state, rows_staged FROM lab.swap_record('split', current_setting('lab.month'));
