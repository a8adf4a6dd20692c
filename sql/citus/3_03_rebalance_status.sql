-- Phase 3 (coordinator): the latest rebalance job and how many of its tasks are in each state.
SELECT job_id, state::text AS state,
       coalesce((details -> 'task_state_counts' ->> 'done')::int, 0) AS tasks_done,
       (SELECT coalesce(sum(value::int), 0) FROM jsonb_each_text(details -> 'task_state_counts'))::int AS tasks,
       started_at, finished_at
FROM citus_rebalance_status()
ORDER BY job_id DESC
LIMIT 1;
