-- Scenario detach, step 1 of 2: the window, one short transaction, catalog only. A month partition
-- (app.event_logs_2024_01 by default) is detached and renamed <name>_detached: no row is read or written. Under the lock
-- discipline, ACCESS EXCLUSIVE on app.event_logs, its DEFAULT and the month (what DETACH takes): readers and writers
-- wait, for the window only. DETACH ... CONCURRENTLY would let them go on, but PostgreSQL refuses it while the table
-- has a DEFAULT partition, and it cannot run inside a transaction block. Rows of the month written afterwards go to
-- the DEFAULT. Given up (SQLSTATE 55P03, the session in the way named), it changed nothing.
-- Parameters: lab.month (YYYY-MM, default 2024-01); online.lock_timeout_ms and online.lock_budget_ms (the discipline).
-- Needs sql/online/install.sql, sql/repartition/00_functions.sql and 01_scenarios.sql. Then: detach_2_archive.sql.
SET TimeZone = 'UTC';
SELECT set_config('lab.month', lab.setting_or('lab.month', '2024-01'), false);
SELECT step, name, action, locks, row_count FROM lab.plan_detach(current_setting('lab.month'));
SELECT * FROM lab.detach_window(current_setting('lab.month'));
