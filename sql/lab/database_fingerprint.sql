-- Everything a command could change in this database, one row per object outside the system schemas: each schema;
-- each relation with its kind, storage file, columns, partition bound and comment; each function and procedure with
-- its source; and the rows of each table and sequence (count and an order-independent checksum). Two snapshots are
-- equal when a command (a dry run, a refused input) changed nothing at all. Reads only: query_to_xml runs each
-- table's checksum without creating anything. Statistics (reltuples, last ANALYZE) are left out: autovacuum moves them.
WITH spaces AS (
    SELECT n.oid, n.nspname FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
)
SELECT 'schema' AS kind, s.nspname::text AS object, '' AS digest
FROM spaces s
UNION ALL
SELECT 'relation', format('%I.%I', s.nspname, c.relname),
       md5(concat_ws('|', c.relkind, c.relfilenode, coalesce(pg_get_expr(c.relpartbound, c.oid), ''),
                     coalesce(obj_description(c.oid, 'pg_class'), ''),
                     (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                                        ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)))
FROM pg_class c JOIN spaces s ON s.oid = c.relnamespace
UNION ALL
SELECT 'function', format('%I.%I(%s)', s.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), md5(p.prosrc)
FROM pg_proc p JOIN spaces s ON s.oid = p.pronamespace
UNION ALL
SELECT 'rows', format('%I.%I', s.nspname, c.relname),
       (xpath('/row/d/text()', query_to_xml(
            format('SELECT count(*) || '':'' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) AS d FROM %s AS t', c.oid::regclass),
            false, true, '')))[1]::text
FROM pg_class c JOIN spaces s ON s.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
UNION ALL
SELECT 'sequence', format('%I.%I', q.schemaname, q.sequencename), coalesce(q.last_value::text, 'never used')
FROM pg_sequences q
ORDER BY 1, 2;
