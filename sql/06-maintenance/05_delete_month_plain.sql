-- Lesson 06, step 5: one month (lab.month, YYYY-MM, UTC) leaves the plain copy the only way a plain table allows:
-- DELETE ... WHERE created_at in the month (found through the index on created_at). Timed by the server in this
-- session: clock_timestamp() before and after the DELETE, which commits on its own, so its commit counts too.
-- Then, on the same row as step 6 shows its DROP: the rows removed, the time, the rows left, the table's size
-- (heap, and with its indexes) before and after, and the dead rows the DELETE left in the heap.
SELECT set_config('lab.heap_before', pg_relation_size('audit.audit_logs_plain')::text, false) AS heap_before,
       set_config('lab.total_before', pg_total_relation_size('audit.audit_logs_plain')::text, false) AS total_before,
       set_config('lab.started', clock_timestamp()::text, false) AS started;

WITH removed AS (
    DELETE FROM audit.audit_logs_plain
    WHERE created_at >= to_date(current_setting('lab.month'), 'YYYY-MM')::timestamp AT TIME ZONE 'UTC'
      AND created_at < (to_date(current_setting('lab.month'), 'YYYY-MM') + interval '1 month') AT TIME ZONE 'UTC'
    RETURNING 1
)
SELECT set_config('lab.removed', count(*)::text, false) FROM removed;

SELECT set_config('lab.duration_ms', (extract(epoch FROM clock_timestamp() - current_setting('lab.started')::timestamptz) * 1000)::text, false);

-- The statistics of this session reach pg_stat_user_tables when it next goes idle; make that now, not up to a second later.
SELECT pg_stat_force_next_flush();

SELECT 'DELETE FROM audit.audit_logs_plain WHERE created_at in ' || current_setting('lab.month') AS removal,
       current_setting('lab.removed')::bigint AS rows_removed,
       round(current_setting('lab.duration_ms')::numeric, 2) AS duration_ms,
       (SELECT count(*) FROM audit.audit_logs_plain) AS rows_left,
       current_setting('lab.heap_before')::bigint AS heap_bytes_before,
       pg_relation_size('audit.audit_logs_plain') AS heap_bytes_after,
       current_setting('lab.total_before')::bigint AS total_bytes_before,
       pg_total_relation_size('audit.audit_logs_plain') AS total_bytes_after,
       s.n_dead_tup AS dead_rows
FROM pg_stat_user_tables s
WHERE s.relid = 'audit.audit_logs_plain'::regclass;
