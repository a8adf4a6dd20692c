-- The advisor's measurement, on the scratch server: the size of a copy (lab.table_name), over its leaf partitions
-- if it has any: the heap (main fork) and everything with its indexes and TOAST. (pg_partition_tree does not count
-- an ordinary table as a leaf of itself, so the ordinary tables are picked by relkind.)
SELECT count(*) AS relations,
       coalesce(sum(pg_relation_size(c.oid)), 0)::bigint AS heap_bytes,
       coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS total_bytes
FROM pg_class c
WHERE c.relkind = 'r'
  AND (c.oid = to_regclass(current_setting('lab.table_name'))
       OR c.oid IN (SELECT t.relid FROM pg_partition_tree(to_regclass(current_setting('lab.table_name'))) AS t));
