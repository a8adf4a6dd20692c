-- Scenario detach, step 2 of 2, one transaction: the detached month (app.event_logs_2024_01_detached by default; nobody
-- writes it any more) copied into app.event_logs_archive, an ordinary table with archived_at and archive_reason,
-- every row of it proven there (count and checksum), then dropped. app.event_logs is not locked. After a failure (or a
-- crash between the two steps) run it again: it finishes the detach. No row: nothing detached waits for its archive.
-- Parameter: lab.month (YYYY-MM, default 2024-01). Needs detach_1_detach.sql first.
SET TimeZone = 'UTC';
SELECT * FROM lab.archive_detached(lab.setting_or('lab.month', '2024-01'));
