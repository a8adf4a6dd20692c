-- Lesson 05: DETACH PARTITION ... CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent, so readers and writers
-- go on; but PostgreSQL refuses it while the table has a DEFAULT partition (SQLSTATE 55000), and it cannot run inside a
-- transaction block. app.event_logs has a DEFAULT, so this fails at once and changes nothing. It cannot go through
-- online.lock_relations (that needs a transaction block), so lock_timeout bounds its wait for the lock instead.
SET lock_timeout = '100ms';
ALTER TABLE app.event_logs DETACH PARTITION app.event_logs_2024_01 CONCURRENTLY;
