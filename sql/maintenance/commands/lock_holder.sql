-- Who holds the maintenance advisory lock: the session's pid, application, and since when.
-- Parameters (custom settings, empty or unset for the default): none.
SELECT l.pid, a.application_name, a.backend_start, a.query_start FROM pg_locks l JOIN pg_stat_activity a USING (pid)
WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = maintenance.lock_key();
