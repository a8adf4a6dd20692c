-- The locks a session inside an exclusive window (application_name 'online window: ...', see
-- sql/online/window_marks.sql) holds on lab.table_name and its partitions right now, as pg_locks shows them: the
-- relation, the lock mode, whether granted, and the window. No row: no window is open on the table.
SELECT format('%I.%I', n.nspname, c.relname) AS relation, l.mode, l.granted, l.pid, a.application_name AS held_by
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
JOIN pg_class c ON c.oid = l.relation
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.locktype = 'relation'
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND a.application_name LIKE 'online window: %'
  -- the table and its partitions from pg_inherits: pg_partition_tree() would itself wait for the window's locks
  AND l.relation IN (WITH RECURSIVE tree AS (SELECT to_regclass(current_setting('lab.table_name'))::oid AS relid
                                             UNION ALL
                                             SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid)
                     SELECT relid FROM tree)
ORDER BY 1, 2;
