-- The partition tree of one table, read from the catalogs (pg_inherits, pg_class.relpartbound,
-- pg_partitioned_table), never from partition names. Parameter: lab.table_name (schema-qualified).
-- Names are always schema-qualified, whatever the search_path.
-- Columns: level (0 = the table itself), each partition's strategy and key when it is partitioned
-- again, its bound as PostgreSQL prints it, exact row count (count(*) per relation) and size (tables, indexes
-- and TOAST; for a partitioned table, the sum over its partitions).
WITH RECURSIVE tree AS (
    SELECT c.oid AS relid, NULL::oid AS parentrelid, 0 AS level, ARRAY[]::text[] COLLATE "C" AS sort_path
    FROM pg_class c
    WHERE c.oid = to_regclass(current_setting('lab.table_name'))
  UNION ALL
    SELECT i.inhrelid, i.inhparent, t.level + 1,
           -- DEFAULT sorts after every bound: '~' comes after letters and digits in the "C" collation
           t.sort_path || (CASE WHEN child.relpartbound IS NULL THEN '' ELSE
               CASE WHEN pg_get_expr(child.relpartbound, child.oid) = 'DEFAULT' THEN '~' ELSE '' END
               || pg_get_expr(child.relpartbound, child.oid) END) COLLATE "C"
    FROM tree t
    JOIN pg_inherits i ON i.inhparent = t.relid
    JOIN pg_class child ON child.oid = i.inhrelid
)
SELECT t.level,
       format('%I.%I', n.nspname, c.relname) AS partition,
       (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_class pc JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE pc.oid = t.parentrelid) AS parent,
       CASE p.partstrat WHEN 'r' THEN 'range' WHEN 'l' THEN 'list' WHEN 'h' THEN 'hash' END AS strategy,
       CASE WHEN p.partrelid IS NOT NULL THEN pg_get_partkeydef(t.relid) END AS partition_key,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       c.relkind NOT IN ('p', 'I') AS is_leaf,
       (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %s', t.relid::regclass), false, true, '')))[1]::text::bigint AS row_count,
       sizes.total_bytes,
       pg_size_pretty(sizes.total_bytes) AS total_size
FROM tree t
JOIN pg_class c ON c.oid = t.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_partitioned_table p ON p.partrelid = t.relid
-- a partitioned table stores nothing itself: its size is that of everything below it
CROSS JOIN LATERAL (SELECT sum(pg_total_relation_size(below.relid))::bigint AS total_bytes
                    FROM pg_partition_tree(t.relid) below) AS sizes
ORDER BY t.sort_path;
