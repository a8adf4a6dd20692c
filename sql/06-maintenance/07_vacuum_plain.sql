-- Lesson 06, step 7: VACUUM of the plain copy after step 5's DELETE. It removes the dead rows and makes their
-- space reusable by later inserts, but the table keeps its size: VACUUM gives back only empty pages at the very
-- end of the heap, and the month deleted was at its start. (VACUUM FULL would rewrite the table, holding an
-- ACCESS EXCLUSIVE lock meanwhile.) Shows the heap's size and dead rows after.
VACUUM audit.audit_logs_plain;

SELECT 'VACUUM audit.audit_logs_plain' AS step,
       pg_relation_size('audit.audit_logs_plain') AS heap_bytes,
       pg_total_relation_size('audit.audit_logs_plain') AS total_bytes,
       s.n_dead_tup AS dead_rows,
       s.vacuum_count
FROM pg_stat_user_tables s
WHERE s.relid = 'audit.audit_logs_plain'::regclass;
