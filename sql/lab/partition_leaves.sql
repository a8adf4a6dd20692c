-- The leaf partitions of lab.table_name (schema-qualified), in bound order.
SELECT format('%I.%I', n.nspname, c.relname) AS partition,
       pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_partition_tree(to_regclass(current_setting('lab.table_name'))) tree
JOIN pg_class c ON c.oid = tree.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE tree.isleaf
ORDER BY pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', 2;
