-- Lesson 06, step 6: the same month (lab.month, YYYY-MM) leaves audit.audit_logs the way retention removes it:
-- DROP TABLE of its partition (found in the catalogs by the manager's maintenance.partitions, so this needs
-- sql/maintenance/install.sql). Timed like step 5: clock_timestamp() before and after the statement, which
-- commits on its own. Reports in the columns of step 5: the rows the partition held, the time, the rows left,
-- the size of all partitions (heap, and with indexes) before and after; no dead rows, the files are gone.
SELECT set_config('lab.partition', p.partition::text, false)
FROM maintenance.partitions(maintenance.config_for('audit.audit_logs')) p
WHERE p.partition_month = to_date(current_setting('lab.month'), 'YYYY-MM');

SELECT set_config('lab.removed',
                  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', current_setting('lab.partition')::regclass),
                                                       false, true, '')))[1]::text, false) AS removed,
       set_config('lab.heap_before', (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs'))::text, false) AS heap_before,
       set_config('lab.total_before', (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs'))::text, false) AS total_before,
       set_config('lab.started', clock_timestamp()::text, false) AS started;

DO $$
BEGIN
    EXECUTE format('DROP TABLE %s', current_setting('lab.partition')::regclass);
END
$$;

SELECT set_config('lab.duration_ms', (extract(epoch FROM clock_timestamp() - current_setting('lab.started')::timestamptz) * 1000)::text, false);

SELECT 'DROP TABLE ' || current_setting('lab.partition') AS removal,
       current_setting('lab.removed')::bigint AS rows_removed,
       round(current_setting('lab.duration_ms')::numeric, 2) AS duration_ms,
       (SELECT count(*) FROM audit.audit_logs) AS rows_left,
       current_setting('lab.heap_before')::bigint AS heap_bytes_before,
       (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs'))::bigint AS heap_bytes_after,
       current_setting('lab.total_before')::bigint AS total_bytes_before,
       (SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('audit.audit_logs'))::bigint AS total_bytes_after,
       0::bigint AS dead_rows;
