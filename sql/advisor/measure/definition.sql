-- The advisor's measurement (lab.AdvisorMeasure), read on the analysed database in a READ ONLY transaction: the
-- definition of lab.table_name as a scratch server rebuilds it (create.sql takes these three JSON values as
-- they are). Columns in attnum order, generated ones left out (they are computed again from the others); a type the
-- scratch server may lack (an enum, a type of an extension) travels as text, a domain as its base type. Indexes but
-- the primary key's, each as its method and columns (the text of pg_get_indexdef from USING on) and the columns it
-- covers, so that a unique one can be kept unique on the partitioned copy only where it holds the partition key.
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       c.relkind::text AS kind,
       greatest(c.reltuples, 0)::bigint AS row_estimate,
       (SELECT json_agg(json_build_object(
                   'name', a.attname,
                   'type', CASE WHEN ty.typnamespace = 'pg_catalog'::regnamespace THEN format_type(a.atttypid, a.atttypmod)
                                WHEN ty.typtype = 'd' THEN format_type(ty.typbasetype, ty.typtypmod)
                                ELSE 'text' END,
                   'not_null', a.attnotnull,
                   'time', a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)) ORDER BY a.attnum)::text
        FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
       (SELECT json_agg(a.attname ORDER BY k.ord)::text
        FROM pg_constraint co
        CROSS JOIN LATERAL unnest(co.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
        WHERE co.conrelid = c.oid AND co.contype = 'p') AS primary_key,
       coalesce((SELECT json_agg(json_build_object(
                   'name', ic.relname,
                   'unique', i.indisunique,
                   'using', substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$'),
                   'columns', (SELECT coalesce(json_agg(a.attname), '[]'::json) FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum = ANY (i.indkey::int2[]))) ORDER BY ic.relname)::text
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND NOT i.indisprimary), '[]') AS indexes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass(current_setting('lab.table_name'));
