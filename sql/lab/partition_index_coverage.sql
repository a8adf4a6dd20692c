-- Each index declared on the partitioned table lab.table_name, and on how many of its leaf partitions an index
-- attached to it exists (pg_partition_tree works on partitioned indexes too), naming the leaves that lack it.
-- A leaf without the index is one where queries on that column read the whole partition.
WITH leaves AS (
    SELECT tree.relid FROM pg_partition_tree(to_regclass(current_setting('lab.table_name'))) tree WHERE tree.isleaf
), declared AS (
    SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = to_regclass(current_setting('lab.table_name'))
), attached AS (
    SELECT d.indexrelid AS parent_index, li.indrelid AS leaf
    FROM declared d
    CROSS JOIN LATERAL pg_partition_tree(d.indexrelid) t
    JOIN pg_index li ON li.indexrelid = t.relid
    WHERE t.isleaf
)
SELECT format('%I.%I', n.nspname, ic.relname) AS parent_index,
       pg_get_indexdef(d.indexrelid) AS definition,
       (SELECT count(*) FROM leaves) AS leaf_partitions,
       (SELECT count(*) FROM attached a JOIN leaves l ON l.relid = a.leaf WHERE a.parent_index = d.indexrelid) AS leaves_with_index,
       coalesce((SELECT string_agg(format('%I.%I', ln.nspname, lc.relname), ', ' ORDER BY lc.relname)
                 FROM leaves l JOIN pg_class lc ON lc.oid = l.relid JOIN pg_namespace ln ON ln.oid = lc.relnamespace
                 WHERE NOT EXISTS (SELECT 1 FROM attached a WHERE a.parent_index = d.indexrelid AND a.leaf = l.relid)), '') AS leaves_without_index
FROM declared d
JOIN pg_class ic ON ic.oid = d.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
ORDER BY 1;
