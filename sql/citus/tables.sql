-- Monitoring (coordinator, Citus enabled): the Citus tables (citus_tables): type, distribution column, colocation
-- group, shard count and size. Tables not listed are regular tables on the coordinator.
SELECT format('%I.%I', n.nspname, c.relname) AS table_name, t.citus_table_type, t.distribution_column, t.colocation_id,
       t.shard_count, t.table_size
FROM citus_tables AS t
JOIN pg_class AS c ON c.oid = t.table_name
JOIN pg_namespace AS n ON n.oid = c.relnamespace
ORDER BY 1;
