-- Run on the coordinator: events per tenant across both shards. GROUP BY includes the partition key (tenant_id), so
-- with enable_partitionwise_aggregate each shard can compute its own tenants' counts whole: postgres_fdw pushes the
-- aggregate down ("Aggregate on (...)" in the plan), and with async_capable both shards run at the same time
-- ("Async Foreign Scan"). With the setting off (the default) every row travels to the coordinator to be counted.
--   psql "$COORDINATOR" -v partitionwise=on -f sql/fdw/q_aggregate_by_tenant.sql
SET enable_partitionwise_aggregate = :'partitionwise';
SELECT tenant_id, count(*) AS events FROM app.events_sharded GROUP BY tenant_id;
