-- Run on a shard: what the shard itself holds, counted without the coordinator.
SELECT count(*) AS row_count FROM app.events_shard;
