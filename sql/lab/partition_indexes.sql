-- Every index on every leaf partition of lab.table_name, with the parent index it belongs to (from
-- pg_inherits between indexes): shows that an index declared once on the parent exists everywhere.
SELECT format('%I.%I', n.nspname, c.relname) AS partition,
       index_class.relname AS index_name,
       parent_index_class.relname AS parent_index,
       pg_get_indexdef(idx.indexrelid) AS definition
FROM pg_partition_tree(to_regclass(current_setting('lab.table_name'))) tree
JOIN pg_class c ON c.oid = tree.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_index idx ON idx.indrelid = tree.relid
JOIN pg_class index_class ON index_class.oid = idx.indexrelid
LEFT JOIN pg_inherits parent_index ON parent_index.inhrelid = idx.indexrelid
LEFT JOIN pg_class parent_index_class ON parent_index_class.oid = parent_index.inhparent
WHERE tree.isleaf
ORDER BY 1, 3;
