-- Row parity between a partitioned table (lab.table_name) and an ordinary copy of its rows (lab.compare_table,
-- e.g. the <name>_old a migration kept). For every leaf partition: the rows it holds, and how many rows of the
-- copy satisfy that leaf's partition constraint (pg_get_partition_constraintdef: its bound and its ancestors',
-- the very condition PostgreSQL routes rows by; for HASH, satisfies_hash_partition). Equal numbers on every
-- line mean each row sits in the partition its key says, and none is missing or extra.
-- Names are resolved with to_regclass and printed as regclass, never spliced in as text.
SELECT format('%I.%I', n.nspname, c.relname) AS partition,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', c.oid::regclass),
                                            false, true, '')))[1]::text::bigint AS rows_in_partition,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s WHERE %s',
                                                   to_regclass(current_setting('lab.compare_table')),
                                                   coalesce(pg_get_partition_constraintdef(c.oid), 'true')),
                                            false, true, '')))[1]::text::bigint AS rows_in_compare_table
FROM pg_partition_tree(to_regclass(current_setting('lab.table_name'))) tree
JOIN pg_class c ON c.oid = tree.relid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE tree.isleaf
  AND to_regclass(current_setting('lab.compare_table')) IS NOT NULL
ORDER BY tree.level, tree.parentrelid::regclass::text, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', 1;
