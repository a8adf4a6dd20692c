-- Advisor, read 3: the keys of the tables sql/advisor/tables.sql lists, one row each: the primary key and unique
-- constraints (a partitioned table's must include the partition key), the foreign keys going out, and those pointing
-- in from other tables (a table referenced by a foreign key can be partitioned only if the referenced key includes
-- the partition key, and every referencing table follows). From pg_constraint only.
-- Parameters: lab.schema, lab.table_name (as tables.sql).
WITH params AS (
    SELECT nullif(current_setting('lab.schema', true), '') AS schema_name,
           nullif(current_setting('lab.table_name', true), '') AS table_name
),
tables AS (
    SELECT c.oid, n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, params p
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
      AND (p.schema_name IS NULL OR n.nspname = p.schema_name)
      AND (p.table_name IS NULL OR c.relname = p.table_name)
),
keyed AS (
    SELECT t.nspname, t.relname, co.conname,
           CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' ELSE 'foreign key out' END AS kind,
           co.conkey AS own_columns, co.confrelid AS other_table, co.confkey AS other_columns, t.oid AS own_table, co.oid AS con
    FROM tables t JOIN pg_constraint co ON co.conrelid = t.oid AND co.contype IN ('p', 'u', 'f')
    UNION ALL
    SELECT t.nspname, t.relname, co.conname, 'foreign key in',
           co.confkey, co.conrelid, co.conkey, t.oid, co.oid
    FROM tables t JOIN pg_constraint co ON co.confrelid = t.oid AND co.contype = 'f'
    -- a partition's copy of its parent's foreign key is not one more reference
    WHERE co.conparentid = 0
)
SELECT k.nspname AS schema_name,
       k.relname AS table_name,
       k.kind,
       k.conname AS constraint_name,
       (SELECT string_agg(a.attname, ', ' ORDER BY o.i) FROM unnest(k.own_columns) WITH ORDINALITY o(n, i)
        JOIN pg_attribute a ON a.attrelid = k.own_table AND a.attnum = o.n) AS columns,
       -- schema-qualified whatever the search_path (regclass::text would drop a visible schema)
       (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = k.other_table) AS other_table,
       (SELECT string_agg(a.attname, ', ' ORDER BY o.i) FROM unnest(k.other_columns) WITH ORDINALITY o(n, i)
        JOIN pg_attribute a ON a.attrelid = k.other_table AND a.attnum = o.n) AS other_columns,
       pg_get_constraintdef(k.con) AS definition
FROM keyed k
ORDER BY 1, 2, 3, 4;
