-- Run on the coordinator: postgres_fdw's async_capable on the foreign servers shard1 and shard2, from
-- lab.async_capable (true or false; 02_coordinator_servers.sql sets true). With it, an Append over foreign scans of
-- different servers (the partitions of app.events_sharded, or a UNION ALL of them) sends every query first and reads
-- the answers as they come: the shards work at the same time ("Async Foreign Scan" in the plan). Without it, the
-- coordinator waits for one shard before it asks the next. ALTER SERVER closes the coordinator's open connections.
DO $$
DECLARE
    shard text;
BEGIN
    FOREACH shard IN ARRAY ARRAY['shard1', 'shard2'] LOOP
        EXECUTE format('ALTER SERVER %I OPTIONS (%s async_capable %L)', shard,
                       CASE WHEN EXISTS (SELECT FROM pg_foreign_server s, unnest(s.srvoptions) AS o
                                         WHERE s.srvname = shard AND o LIKE 'async_capable=%') THEN 'SET' ELSE 'ADD' END,
                       current_setting('lab.async_capable')::boolean::text);
    END LOOP;
END
$$;
SELECT srvname AS shard,
       coalesce((SELECT substring(o FROM 'async_capable=(.*)') FROM unnest(srvoptions) AS o WHERE o LIKE 'async_capable=%'),
                'false (default)') AS async_capable
FROM pg_foreign_server WHERE srvname IN ('shard1', 'shard2') ORDER BY srvname;
