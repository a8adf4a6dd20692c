-- Scenario detach, step 2 of 2, one transaction: lock app.event_logs and its DEFAULT exclusively, top up the
-- archive, prove every row of the partition is archived identically, DETACH, DROP. DETACH ... CONCURRENTLY would
-- spare writers the lock, but PostgreSQL refuses it while the table has a DEFAULT partition (and it cannot run
-- inside a transaction). No row: the month was detached before.
-- Parameter: lab.month (YYYY-MM, default 2024-01). Needs detach_1_archive.sql first.
SET TimeZone = 'UTC';
SELECT moved_range, rows_before, checksum_before::text AS checksum_before, rows_after, checksum_after::text AS checksum_after, detached, attached
FROM lab.detach_month(lab.setting_or('lab.month', '2024-01'));
