-- Every table, partitioned table, index and sequence in the schemas named in lab.schemas (comma-separated), with
-- what it belongs to and its partition bound, plus the number of rows of each table: two snapshots are equal when
-- an operation changed nothing (a dry run, refused input). Ordered, so that snapshots compare as lists.
SELECT format('%I.%I', n.nspname, c.relname) AS relation,
       c.relkind::text AS kind,
       coalesce(i.inhparent::regclass::text, '') AS parent,
       coalesce(pg_get_expr(c.relpartbound, c.oid), '') AS bound,
       coalesce(obj_description(c.oid, 'pg_class'), '') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
WHERE n.nspname = ANY (string_to_array(current_setting('lab.schemas'), ','))
  AND c.relkind IN ('r', 'p', 'i', 'I', 'S')
ORDER BY 1;
