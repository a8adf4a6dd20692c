-- Benchmark: the server settings a reading of the numbers depends on.
SELECT name, setting, unit
FROM pg_settings
WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather',
               'max_worker_processes', 'jit', 'random_page_cost', 'enable_partitionwise_aggregate',
               'enable_partitionwise_join', 'max_wal_size')
ORDER BY name;
