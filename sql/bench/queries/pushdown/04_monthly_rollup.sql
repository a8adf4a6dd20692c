-- The monthly rollup on the sharded layout, computed on the shards (benchmark layout sharded_pushdown, lesson 08).
-- Three things stop the plain form from being sent to the shards:
--   * date_trunc('month', occurred_at) on a timestamptz is STABLE (it depends on TimeZone): never shipped;
--   * the immutable spellings, date_trunc('month', occurred_at AT TIME ZONE 'UTC') or date_trunc(..., 'UTC'), take a
--     text argument, and postgres_fdw ships a function with a collatable input only when that collation comes from a
--     column, not from a constant: not shipped either;
--   * without the partition key in the GROUP BY, PostgreSQL 17 pushes no partial aggregate through the parent.
-- So each shard counts its rows per UTC day, an expression without text (timezone(interval, timestamptz), then a
-- cast to date), which postgres_fdw ships; the coordinator adds the 2 x 366 day counts up by month and turns the month
-- back into a timestamptz (the session runs in UTC, as the lab's always do).
SELECT date_trunc('month', day::timestamp) AT TIME ZONE 'UTC' AS month, sum(n)::bigint AS events
FROM (SELECT (occurred_at AT TIME ZONE INTERVAL '0')::date AS day, count(*) AS n
      FROM app.events_mod2_r0 WHERE occurred_at >= :'year_start' AND occurred_at < :'year_end' GROUP BY 1
      UNION ALL
      SELECT (occurred_at AT TIME ZONE INTERVAL '0')::date, count(*)
      FROM app.events_mod2_r1 WHERE occurred_at >= :'year_start' AND occurred_at < :'year_end' GROUP BY 1) AS per_shard
GROUP BY 1
ORDER BY 1;
