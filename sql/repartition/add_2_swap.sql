-- Scenario add, step 2 of 3: the window, one short transaction. Under the lock discipline, ACCESS EXCLUSIVE on
-- app.event_logs, its DEFAULT and the staged tables: readers and writers wait, for the window only. The staged tables
-- catch up with the changes captured since step 1 caught up last (the only rows it writes: the delta, never the DEFAULT's
-- rows); the DEFAULT is detached (kept as app.event_logs_default_prev until verified); the month and the new DEFAULT
-- are attached, their CHECKs proving the bounds, so nothing is scanned. Given up (SQLSTATE 55P03, the session in the
-- way named), it changed nothing: run it again later, or give the swap up with online.abort_swap.
-- Parameter: lab.month (YYYY-MM, default 2024-04). Needs add_1_stage.sql first. Then: add_3_verify.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.swap_window('add', lab.setting_or('lab.month', '2024-04'));
