-- Scenario cleanup, step 2 of 2, one transaction: back to the original layout (app.event_logs by month,
-- 2024_01..2024_03 and a DEFAULT; no weekly partitions, no other month, no archive, no app.users_by_date), every
-- row back in app.event_logs, each range verified by count and checksum. Needs cleanup_1_stage.sql first.
SET TimeZone = 'UTC';
SELECT moved_range, rows_before, checksum_before::text AS checksum_before, rows_after, checksum_after::text AS checksum_after, detached, attached
FROM lab.cleanup_layout();
