-- The whole database as a change would show in it, one line a thing, ordered: every schema, relation (with its kind
-- and partition bound), function or procedure (with a hash of its body), constraint, and every ordinary table's row
-- count and a checksum of its rows. Two fingerprints are equal when an operation changed nothing (a dry run, a refused
-- input), including what it might have installed (schema online, functions) or created (a lesson's tables). System
-- schemas are left out. Creates nothing itself: the counts run through query_to_xml.
WITH user_ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp\_%'
)
SELECT 'schema ' || quote_ident(nspname) AS line FROM user_ns
UNION ALL
SELECT format('relation %I.%I kind %s %s', n.nspname, c.relname, c.relkind, coalesce(pg_get_expr(c.relpartbound, c.oid), ''))
FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
UNION ALL
SELECT format('function %I.%I(%s) %s', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc))
FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
UNION ALL
SELECT format('constraint %I on %s: %s', co.conname, co.conrelid::regclass, pg_get_constraintdef(co.oid))
FROM pg_constraint co JOIN user_ns n ON n.oid = co.connamespace
UNION ALL
SELECT format('rows of %I.%I: %s', n.nspname, c.relname,
              (xpath('/row/x/text()', query_to_xml(format(
                  'SELECT count(*) || '' '' || coalesce(md5(string_agg(t::text, '','' ORDER BY t::text)), '''') AS x FROM ONLY %I.%I AS t',
                  n.nspname, c.relname), false, true, '')))[1]::text)
FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
ORDER BY 1;
