-- Scenario add, step 2 of 2, one transaction: lock app.event_logs in SHARE UPDATE EXCLUSIVE mode (writers go on)
-- and its DEFAULT exclusively, top up the staged partition, delete the month's rows from the DEFAULT, ATTACH (the
-- CHECK spares the scan), verify count and checksum. No row: the month was added before.
-- Parameter: lab.month (YYYY-MM, default 2024-04). Needs add_1_stage.sql first.
SET TimeZone = 'UTC';
SELECT s.moved_range, s.rows_before, s.checksum_before::text AS checksum_before, s.rows_after,
       s.checksum_after::text AS checksum_after, s.detached, s.attached
FROM lab.event_month(lab.setting_or('lab.month', '2024-04')) AS m,
     lab.swap_range('app.event_logs', m.lower_bound, m.upper_bound,
                    ARRAY[m.partition_name], ARRAY[m.lower_bound], ARRAY[m.upper_bound]) AS s;
