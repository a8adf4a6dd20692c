-- Scenario cleanup, step 2 of 4: the window of its swap, one short transaction. Under the lock discipline, ACCESS
-- EXCLUSIVE on app.event_logs, its DEFAULT, the partitions replaced and the staged ones: readers and writers wait, for
-- the window only. The staged partitions catch up with the changes captured since step 1 caught up last (the only rows it
-- writes); the old partitions are detached (kept until verified), the original months (and the new DEFAULT) attached,
-- their CHECKs proving the bounds. Given up (SQLSTATE 55P03, the session in the way named), it changed nothing.
-- Needs cleanup_1_stage.sql first. Then: cleanup_3_verify.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.swap_window('cleanup', NULL);
