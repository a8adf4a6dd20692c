-- Advisor, read 4: the indexes of the tables sql/advisor/tables.sql lists (on a partitioned table, its parent
-- indexes), with their columns, whether unique or the primary key, and size: from pg_index only.
-- Parameters: lab.schema, lab.table_name (as tables.sql).
WITH params AS (
    SELECT nullif(current_setting('lab.schema', true), '') AS schema_name,
           nullif(current_setting('lab.table_name', true), '') AS table_name
)
SELECT n.nspname AS schema_name,
       c.relname AS table_name,
       i.relname AS index_name,
       (SELECT string_agg(coalesce(a.attname, '(expression)'), ', ' ORDER BY k.i)
        FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.n AND k.n > 0) AS columns,
       x.indisunique AS is_unique,
       x.indisprimary AS is_primary,
       pg_relation_size(i.oid) AS index_bytes,
       pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace, params p
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
  AND (p.schema_name IS NULL OR n.nspname = p.schema_name)
  AND (p.table_name IS NULL OR c.relname = p.table_name)
ORDER BY 1, 2, 3;
