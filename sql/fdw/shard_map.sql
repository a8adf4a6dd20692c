-- Run on the coordinator: for each tenant 1..lab.tenants, the foreign partition of lab.table (default
-- app.events_sharded) its hash picks, the shard (foreign server) holding it and the table there. Computed by the
-- server's own satisfies_hash_partition, so a loader writing straight into the shards routes rows exactly as the
-- coordinator would.
WITH parent AS (
    SELECT to_regclass(coalesce(nullif(current_setting('lab.table', true), ''), 'app.events_sharded')) AS oid
), partitions AS (
    SELECT c.relname::text AS partition,
           s.srvname::text AS shard,
           format('%I.%I',
                  coalesce((SELECT option_value FROM pg_options_to_table(ft.ftoptions) WHERE option_name = 'schema_name'), n.nspname),
                  coalesce((SELECT option_value FROM pg_options_to_table(ft.ftoptions) WHERE option_name = 'table_name'), c.relname))
               AS shard_table,
           substring(pg_get_expr(c.relpartbound, c.oid) FROM 'modulus (\d+)')::int   AS modulus,
           substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\d+)')::int AS remainder
    FROM parent
    JOIN pg_inherits i ON i.inhparent = parent.oid
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
    JOIN pg_foreign_server s ON s.oid = ft.ftserver
)
SELECT t AS tenant_id, p.partition, p.shard, p.shard_table
FROM parent
CROSS JOIN generate_series(1, current_setting('lab.tenants')::int) AS t
JOIN partitions p ON satisfies_hash_partition(parent.oid, p.modulus, p.remainder, t)
ORDER BY t;
