-- Scenario split, step 2 of 2, one transaction. Released PostgreSQL (before 19) has no SPLIT PARTITION, so: lock
-- app.event_logs exclusively (DETACH needs it), top up the weeks, DETACH the month, ATTACH the four weeks (their
-- CHECKs spare the scans), verify count and checksum, drop the month. No row: the month was split before.
-- Parameter: lab.month (YYYY-MM, default 2024-02). Needs split_1_stage.sql first.
SET TimeZone = 'UTC';
SELECT s.moved_range, s.rows_before, s.checksum_before::text AS checksum_before, s.rows_after,
       s.checksum_after::text AS checksum_after, s.detached, s.attached
FROM lab.event_month(lab.setting_or('lab.month', '2024-02')) AS m,
     (SELECT array_agg(partition_name ORDER BY week) AS names, array_agg(lower_bound ORDER BY week) AS lowers,
             array_agg(upper_bound ORDER BY week) AS uppers
      FROM lab.month_weeks(lab.setting_or('lab.month', '2024-02'))) AS w,
     lab.swap_range('app.event_logs', m.lower_bound, m.upper_bound, w.names, w.lowers, w.uppers) AS s;
