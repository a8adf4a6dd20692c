-- Advisor, read 6: the statements pg_stat_statements saw in this database that mention one table (lab.schema,
-- lab.table_name; the name alone or schema-qualified, quoted or not), the costliest first: their normalized text
-- (constants become $1, $2, ...), calls, total and mean execution time, rows. Reads, writes and utility commands
-- other than DML are left out (ANALYZE, CREATE INDEX). Only where sql/advisor/workload_status.sql says installed
-- and loaded: the view does not exist otherwise; it is looked up on the search_path (the lab installs it in
-- public). Parameters: lab.schema, lab.table_name, lab.max_statements
-- (default 50).
-- A statement's text starts with any comment the client sent before it (a file's header, say): that is left out.
WITH params AS (
    SELECT regexp_replace(current_setting('lab.schema'), '([.*+?^${}()|\[\]\\])', '\\\1', 'g') AS schema_name,
           regexp_replace(current_setting('lab.table_name'), '([.*+?^${}()|\[\]\\])', '\\\1', 'g') AS table_name,
           coalesce(nullif(current_setting('lab.max_statements', true), ''), '50')::int AS max_statements
),
statements AS (
    SELECT regexp_replace(s.query, '^(\s|--[^\n]*(\n|$)|/\*([^*]|\*+[^*/])*\*+/)*', '') AS query, s.calls, s.total_exec_time, s.rows
    FROM pg_stat_statements s
    WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
)
SELECT s.query,
       sum(s.calls)::bigint AS calls,
       round(sum(s.total_exec_time)::numeric, 3) AS total_ms,
       round((sum(s.total_exec_time) / greatest(sum(s.calls), 1))::numeric, 3) AS mean_ms,
       sum(s.rows)::bigint AS rows
FROM statements s, params p
WHERE s.query ~* '^\s*(with|select|insert|update|delete|merge)\M'
  AND s.query ~* ('(^|[^a-z0-9_."])("?' || p.schema_name || '"?\s*\.\s*)?"?' || p.table_name || '"?($|[^a-z0-9_"$])')
GROUP BY s.query
ORDER BY sum(s.total_exec_time) DESC, s.query
LIMIT (SELECT max_statements FROM params);
