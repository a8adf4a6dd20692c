-- Run on the coordinator: the options of the foreign servers shard1 and shard2 as postgres_fdw keeps them
-- (host, port, dbname, async_capable, batch_size, parallel_commit, and fetch_size when one is set). The benchmark
-- sets fetch_size for its pushed-down layout and must leave no fetch_size behind.
SELECT srvname::text AS shard, coalesce(array_to_string(srvoptions, ', '), '') AS options
FROM pg_foreign_server
WHERE srvname IN ('shard1', 'shard2')
ORDER BY srvname;
