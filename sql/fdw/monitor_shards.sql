-- Run on the coordinator: rows and size per shard, read from each shard's app.shard_stats view through postgres_fdw,
-- then one status line: ALERT when the spread (largest minus smallest row count, as a share of the mean) is beyond
-- lab.spread_threshold_pct (default 10).
--   psql "$COORDINATOR" -c "SET lab.spread_threshold_pct = '10'" -f sql/fdw/monitor_shards.sql
CREATE OR REPLACE TEMP VIEW lab_shard_stats AS
SELECT 'shard1' AS shard, row_count, total_bytes FROM app.shard1_stats
UNION ALL
SELECT 'shard2', row_count, total_bytes FROM app.shard2_stats;

SELECT shard,
       row_count,
       pg_size_pretty(total_bytes) AS size,
       total_bytes,
       round(100.0 * row_count / nullif(sum(row_count) OVER (), 0), 1) AS share_pct
FROM lab_shard_stats
ORDER BY shard;

SELECT CASE WHEN spread_pct > threshold_pct
            THEN format('ALERT: uneven shards, row counts spread %s%% (max %s, min %s) beyond the %s%% threshold',
                        spread_pct, max_rows, min_rows, threshold_pct)
            ELSE format('ok: row counts spread %s%% (max %s, min %s), within the %s%% threshold',
                        spread_pct, max_rows, min_rows, threshold_pct)
       END AS status,
       spread_pct,
       threshold_pct,
       spread_pct > threshold_pct AS alert
FROM (SELECT coalesce(round(100.0 * (max(row_count) - min(row_count)) / nullif(avg(row_count), 0), 1), 0) AS spread_pct,
             max(row_count) AS max_rows, min(row_count) AS min_rows,
             coalesce(nullif(current_setting('lab.spread_threshold_pct', true), ''), '10')::numeric AS threshold_pct
      FROM lab_shard_stats) AS s;
