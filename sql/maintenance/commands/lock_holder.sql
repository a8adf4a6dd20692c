-- Who holds the maintenance advisory lock: the session's pid, its application, and since when (the start of the run
-- it recorded in the lock records, else its last statement's start, else its connection's).
-- Parameters (custom settings, empty or unset for the default): none.
SELECT l.pid, a.application_name, coalesce(r.started_at, a.query_start, a.backend_start) AS since
FROM pg_locks l
JOIN pg_stat_activity a USING (pid)
LEFT JOIN LATERAL (SELECT h.started_at FROM maintenance.run_history h
                   WHERE h.pid = l.pid AND h.finished_at IS NULL AND h.started_at >= a.backend_start
                   ORDER BY h.id DESC LIMIT 1) r ON true
WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = maintenance.lock_key();
