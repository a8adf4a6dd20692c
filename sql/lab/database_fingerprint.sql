-- Everything a command could change in this database, one line per object outside the system schemas: each schema;
-- each relation with its kind, storage file, columns, partition bound and comment; each function and procedure with
-- a hash of its source; each constraint; the rows of each table (count and an order-independent checksum) and each
-- sequence's last value. Two fingerprints are equal when a command (a dry run, a refused input) changed nothing at
-- all, including what it might have installed (schema online, functions) or prepared (a lesson's tables). Reads only:
-- query_to_xml runs each table's checksum without creating anything. Statistics (reltuples, last ANALYZE) are left
-- out: autovacuum moves them.
WITH spaces AS (
    SELECT n.oid, n.nspname FROM pg_namespace n
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
)
SELECT 'schema ' || quote_ident(s.nspname) AS line
FROM spaces s
UNION ALL
SELECT format('relation %I.%I %s', s.nspname, c.relname,
       md5(concat_ws('|', c.relkind, c.relfilenode, coalesce(pg_get_expr(c.relpartbound, c.oid), ''),
                     coalesce(obj_description(c.oid, 'pg_class'), ''),
                     (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                                        ', ' ORDER BY a.attnum)
                      FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))))
FROM pg_class c JOIN spaces s ON s.oid = c.relnamespace
UNION ALL
SELECT format('function %I.%I(%s) %s', s.nspname, p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc))
FROM pg_proc p JOIN spaces s ON s.oid = p.pronamespace
UNION ALL
SELECT format('constraint %I on %s: %s', co.conname, co.conrelid::regclass, pg_get_constraintdef(co.oid))
FROM pg_constraint co JOIN spaces s ON s.oid = co.connamespace
UNION ALL
SELECT format('rows of %I.%I: %s', s.nspname, c.relname,
       (xpath('/row/d/text()', query_to_xml(
            format('SELECT count(*) || '':'' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) AS d FROM ONLY %s AS t', c.oid::regclass),
            false, true, '')))[1]::text)
FROM pg_class c JOIN spaces s ON s.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
UNION ALL
SELECT format('sequence %I.%I %s', q.schemaname, q.sequencename, coalesce(q.last_value::text, 'never used'))
FROM pg_sequences q
ORDER BY 1;
