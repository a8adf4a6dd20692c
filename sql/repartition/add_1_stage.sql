-- Scenario add, step 1 of 3. The month's partition (app.event_logs_2024_04 by default) cannot simply be created while
-- its rows sit in the DEFAULT (naive_create.sql shows why: it scans the DEFAULT under ACCESS EXCLUSIVE on the table),
-- so the DEFAULT is replaced, online, by the month and a new DEFAULT. This step begins that swap (a trigger on the
-- DEFAULT captures every change from then on; the two new partitions are created empty and standalone, each with a
-- CHECK matching its bound) and copies the DEFAULT's rows into them in batches, while readers and writers go on; more
-- than online.catch_up_rows changes made meanwhile (default 200) are caught up with in rounds, the window is left few.
-- Parameters: lab.month (YYYY-MM, default 2024-04); online.lock_timeout_ms and online.lock_budget_ms (the discipline).
-- Needs sql/online/install.sql, sql/repartition/00_functions.sql and 01_scenarios.sql. Run it outside a transaction
-- block (each batch commits on its own). Then: add_2_swap.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-04'), false);
SELECT step, name, action, locks, row_count FROM lab.plan_add(current_setting('lab.month'));
CALL lab.stage_swap('add', current_setting('lab.month'));
SELECT swap_id, state, rows_staged FROM lab.swap_record('add', current_setting('lab.month'));
