-- The table the generator writes into, resolved the way PostgreSQL resolves a name (search_path, quoting) from
-- the setting lab.table_name, and named back from the catalog with format('%I.%I'): what the user typed never
-- reaches the COPY statement. One row per column; no rows when no such relation exists.
SELECT format('%I.%I', n.nspname, c.relname) AS qualified_name,
       c.relkind::text AS relkind,
       a.attname::text AS column_name,
       a.atttypid::regtype::text AS column_type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.oid = to_regclass(current_setting('lab.table_name'))
ORDER BY a.attnum;
