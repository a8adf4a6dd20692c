-- Not a step of add, the trap it avoids: the naive CREATE TABLE ... PARTITION OF for a month (lab.month, default
-- 2024-04), tried and always rolled back. It needs ACCESS EXCLUSIVE on app.event_logs and on its DEFAULT, taken here under
-- the lock discipline (so that even this never queues readers behind a long query), and holds them while PostgreSQL
-- scans the DEFAULT for rows of the month: refused (SQLSTATE 23514) at the first one found; with none, the whole
-- DEFAULT is read before it would succeed. Every reader and writer of app.event_logs waits for that scan.
-- Needs sql/online/install.sql and sql/repartition/00_functions.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.try_create_partition(lab.setting_or('lab.month', '2024-04'));
