-- Run where the table is defined (the coordinator for app.events_sharded): the hash partitions of lab.table (default
-- app.events_sharded) with the modulus and remainder of their bounds and, for a foreign partition, the shard (its
-- foreign server) and the table there. What a loader needs to route rows itself, as the server would
-- (lab.HashPartitions), and to write them straight into the shards.
SELECT format('%I.%I', n.nspname, c.relname) AS partition,
       substring(pg_get_expr(c.relpartbound, c.oid) FROM 'modulus (\d+)')::int   AS modulus,
       substring(pg_get_expr(c.relpartbound, c.oid) FROM 'remainder (\d+)')::int AS remainder,
       s.srvname::text AS shard,
       CASE WHEN ft.ftrelid IS NOT NULL THEN
           format('%I.%I',
                  coalesce((SELECT option_value FROM pg_options_to_table(ft.ftoptions) WHERE option_name = 'schema_name'), n.nspname),
                  coalesce((SELECT option_value FROM pg_options_to_table(ft.ftoptions) WHERE option_name = 'table_name'), c.relname))
       END AS shard_table
FROM pg_inherits AS i
JOIN pg_class AS c ON c.oid = i.inhrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_foreign_table AS ft ON ft.ftrelid = c.oid
LEFT JOIN pg_foreign_server AS s ON s.oid = ft.ftserver
WHERE i.inhparent = to_regclass(coalesce(nullif(current_setting('lab.table', true), ''), 'app.events_sharded'))
  AND pg_get_expr(c.relpartbound, c.oid) LIKE 'FOR VALUES WITH (modulus %'
ORDER BY remainder;
