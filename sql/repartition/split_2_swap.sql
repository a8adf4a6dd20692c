-- Scenario split, step 2 of 3: the window, one short transaction. Under the lock discipline, ACCESS EXCLUSIVE on
-- app.event_logs, its DEFAULT, the month and the staged weeks (DETACH needs the table so): readers and writers wait,
-- for the window only. The weeks catch up with the changes captured since step 1 caught up last (the only rows it writes); the
-- month is detached (kept until verified); the weeks are attached, their CHECKs and the DEFAULT's validated one proving
-- the bounds, so nothing is scanned. Given up (SQLSTATE 55P03, the session in the way named), it changed nothing: run
-- it again later, or give the swap up with online.abort_swap.
-- Parameter: lab.month (YYYY-MM, default 2024-02). Needs split_1_stage.sql first. Then: split_3_verify.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.swap_window('split', lab.setting_or('lab.month', '2024-02'));
