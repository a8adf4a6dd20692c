-- Advisor, read 2: the columns of the tables sql/advisor/tables.sql lists, with what pg_stats knows of each (ANALYZE
-- fills it): the number of distinct values (n_distinct, turned into an estimated count where PostgreSQL gives a
-- fraction of the rows), the share of NULLs, and, for a time column (timestamptz, timestamp, date), the first and
-- last value it has seen, from its histogram bounds and most common values: no table scan. A column with few values
-- is low_cardinality (at most lab.max_list_values, default 20): a LIST key. Its most common values come along.
-- Parameters: lab.schema, lab.table_name (as tables.sql), lab.max_list_values.
WITH params AS (
    SELECT nullif(current_setting('lab.schema', true), '') AS schema_name,
           nullif(current_setting('lab.table_name', true), '') AS table_name,
           coalesce(nullif(current_setting('lab.max_list_values', true), ''), '20')::int AS max_list_values
),
cols AS (
    SELECT n.nspname, c.relname, c.reltuples, a.attnum, a.attname, a.attnotnull,
           format_type(a.atttypid, a.atttypmod) AS data_type,
           a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) AS is_time
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped, params p
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp_'
      AND (p.schema_name IS NULL OR n.nspname = p.schema_name)
      AND (p.table_name IS NULL OR c.relname = p.table_name)
)
SELECT c.nspname AS schema_name,
       c.relname AS table_name,
       c.attname AS column_name,
       c.data_type,
       c.attnotnull AS not_null,
       c.is_time,
       s.null_frac,
       -- n_distinct < 0 is a fraction of the rows (the count grows with the table)
       CASE WHEN s.n_distinct IS NULL THEN NULL
            WHEN s.n_distinct >= 0 THEN s.n_distinct
            ELSE -s.n_distinct * greatest(c.reltuples, 0) END::bigint AS distinct_values,
       s.n_distinct IS NOT NULL AND s.n_distinct > 0 AND s.n_distinct <= p.max_list_values AS low_cardinality,
       CASE WHEN s.n_distinct > 0 AND s.n_distinct <= p.max_list_values THEN s.most_common_vals::text END AS common_values,
       CASE WHEN c.is_time THEN (SELECT min(v) FROM unnest(coalesce(s.histogram_bounds::text::timestamptz[], '{}')
                                                           || coalesce(s.most_common_vals::text::timestamptz[], '{}')) v) END AS first_value,
       CASE WHEN c.is_time THEN (SELECT max(v) FROM unnest(coalesce(s.histogram_bounds::text::timestamptz[], '{}')
                                                           || coalesce(s.most_common_vals::text::timestamptz[], '{}')) v) END AS last_value
FROM cols c
CROSS JOIN params p
LEFT JOIN pg_stats s ON s.schemaname = c.nspname AND s.tablename = c.relname AND s.attname = c.attname AND NOT s.inherited
ORDER BY 1, 2, c.attnum;
