-- One tenant's month by event type on the sharded layout, shaped to be pushed down (benchmark layout
-- sharded_pushdown, lesson 08). The filter prunes to one foreign
-- partition, but GROUP BY event_type alone leaves the aggregate on the coordinator, fed every matching row. With the
-- partition key in the GROUP BY (the same groups: tenant_id is one value here) and partitionwise aggregation on, the
-- whole aggregate runs on the tenant's shard. The ORDER BY stays outside a MATERIALIZED CTE: asked for sorted groups,
-- the planner may rather sort the shard's rows and aggregate them itself, which it estimates cheaper for a tenant of a
-- few rows; planned on its own, the aggregate is pushed down.
SET enable_partitionwise_aggregate = on;
WITH per_type AS MATERIALIZED (
    SELECT event_type, count(*) AS events, min(occurred_at) AS first_at, max(occurred_at) AS last_at
    FROM app.:"table"
    WHERE tenant_id = :'tenant' AND occurred_at >= :'month_start' AND occurred_at < :'month_end'
    GROUP BY tenant_id, event_type)
SELECT * FROM per_type ORDER BY event_type;
