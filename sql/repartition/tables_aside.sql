-- The tables the scenarios keep events in beside app.event_logs, with their rows: the archive, and months a detach took
-- out and has not archived yet (detach_2_archive.sql finishes them; cleanup brings their rows back).
SELECT format('%I.%I', n.nspname, c.relname) AS relation,
       CASE WHEN t = to_regclass('app.event_logs_archive') THEN '(an ordinary table: the archive)' ELSE '(detached, not archived yet)' END AS what,
       lab.count_where(t, 'true') AS row_count
FROM lab.tables_aside() AS t
JOIN pg_class c ON c.oid = t
JOIN pg_namespace n ON n.oid = c.relnamespace;
