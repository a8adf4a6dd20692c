-- The maintenance advisory lock, on the session that runs maintenance: true if taken, false if another run holds it.
-- Parameters (custom settings, empty or unset for the default): none.
SELECT pg_try_advisory_lock(maintenance.lock_key()) AS taken;
