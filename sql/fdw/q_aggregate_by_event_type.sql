-- Run on the coordinator: events per type across both shards. The GROUP BY does not include the partition key: a
-- type's rows are on both shards, so neither can compute the final count. PostgreSQL 17's postgres_fdw does not push
-- partial aggregates down, so each shard sends its rows and the coordinator counts them (partitionwise: a partial
-- count per partition on the coordinator, then the two combined).
--   psql "$COORDINATOR" -v partitionwise=on -f sql/fdw/q_aggregate_by_event_type.sql
SET enable_partitionwise_aggregate = :'partitionwise';
SELECT event_type, count(*) AS events FROM app.events_sharded GROUP BY event_type;
