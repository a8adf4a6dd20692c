-- Lesson 11, step 7: checks grouped by the partition key. With enable_partitionwise_aggregate on, each
-- partition is grouped on its own (no group spans two partitions), and an Append collects the groups.
SELECT sensor_id, count(*) AS checks
FROM app.sensor_checks
GROUP BY sensor_id;
