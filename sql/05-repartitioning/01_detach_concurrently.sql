-- Lesson 05: DETACH PARTITION ... CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent, so writers go on;
-- but PostgreSQL refuses it while the table has a DEFAULT partition (SQLSTATE 55000), and it cannot run inside a
-- transaction block. app.event_logs has a DEFAULT, so this fails at once and changes nothing.
ALTER TABLE app.event_logs DETACH PARTITION app.event_logs_2024_01 CONCURRENTLY;
