-- Waits for the maintenance advisory lock (another run in progress) and takes it.
-- Parameters (custom settings, empty or unset for the default): none.
SELECT pg_advisory_lock(maintenance.lock_key()) IS NOT NULL AS taken;
