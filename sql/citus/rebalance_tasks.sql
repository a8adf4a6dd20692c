-- Phase 3 (coordinator), setting lab.job_id: the tasks of one background rebalance job (pg_dist_background_task),
-- each with its state and the command it ran: a citus_move_shard_placement per colocated group of shards, and
-- before them the copy of the reference tables to a new worker.
SELECT task_id, status::text AS status, command
FROM pg_dist_background_task
WHERE job_id = current_setting('lab.job_id')::bigint
ORDER BY task_id;
