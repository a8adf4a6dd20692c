-- The maintenance service's /metrics: one row per managed table, its numbers as of today (UTC): partitions, estimated
-- rows and bytes, rows in the DEFAULT, partitions past retention and the status, as partition_health_summary gives
-- them; the months after the current one that have their partition, counted up to the first missing one; and from the
-- lock records (maintenance.runs: a run for every enabled table counts for each), the seconds since the last
-- successful run finished, and the last run's duration and result (ok 1, failed or interrupted 0; one still running
-- does not count yet). Runs that only configure (config, install, uninstall) are not maintenance and do not count.
-- A number that does not exist (a table that never had a run) is NULL, never a made-up value.
-- Parameters (custom settings, empty or unset for the default): none.
WITH health AS (
    SELECT * FROM maintenance.partition_health_summary(NULL, current_date)
), months AS (
    SELECT c.parent_table, p.lower_ts, p.upper_ts
    FROM maintenance.partition_config c
    CROSS JOIN LATERAL maintenance.partitions(c) p
    WHERE to_regclass(c.parent_table) IS NOT NULL AND NOT p.is_default
), maintained AS (
    SELECT r.* FROM maintenance.runs r WHERE r.what NOT IN ('config', 'install', 'uninstall')
)
SELECT h.parent_table, h.partitions, h.row_estimate, h.total_bytes, h.default_rows,
       CASE WHEN h.status <> 'TABLE_MISSING' THEN
           (SELECT coalesce(min(k), 121) - 1 FROM generate_series(1, 120) k
            WHERE NOT EXISTS (SELECT FROM months m
                              WHERE m.parent_table = h.parent_table
                                AND m.lower_ts < date_trunc('month', current_date::timestamp) + make_interval(months => k + 1)
                                AND m.upper_ts > date_trunc('month', current_date::timestamp) + make_interval(months => k)))
       END AS months_ahead,
       h.pending_cleanup AS partitions_past_retention,
       CASE h.status WHEN 'HEALTHY' THEN 0 WHEN 'CLEANUP_NEEDED' THEN 1 WHEN 'MISSING_FUTURE' THEN 2 WHEN 'DEFAULT_HAS_ROWS' THEN 3
                     WHEN 'NO_PARTITIONS' THEN 4 WHEN 'TABLE_MISSING' THEN 5 END AS health,
       h.status,
       -- one now() for every row; greatest() would turn a NULL (no success yet) into 0, hence the CASE
       CASE WHEN success.finished_at IS NOT NULL THEN greatest(extract(epoch FROM now() - success.finished_at), 0)::double precision END
           AS last_success_age_seconds,
       extract(epoch FROM last.duration)::double precision AS last_run_duration_seconds,
       CASE last.result WHEN 'ok' THEN 1 WHEN 'failed' THEN 0 WHEN 'interrupted' THEN 0 END AS last_run_ok
FROM health h
LEFT JOIN LATERAL (SELECT max(r.finished_at) AS finished_at FROM maintained r
                   WHERE r.result = 'ok' AND (r.parent_table = h.parent_table OR r.parent_table IS NULL)) success ON true
LEFT JOIN LATERAL (SELECT r.result, r.duration FROM maintained r
                   WHERE r.result <> 'running' AND (r.parent_table = h.parent_table OR r.parent_table IS NULL)
                   ORDER BY r.id DESC LIMIT 1) last ON true
ORDER BY h.parent_table;
