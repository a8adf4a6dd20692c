-- Monitoring (coordinator, Citus enabled), psql variable shardid: how many users and orders one shard of app.orders
-- holds, counted from the rows (routed to that shard's worker by the shard's hash range).
SELECT count(DISTINCT user_id) AS users, count(*) AS orders
FROM app.orders
WHERE get_shard_id_for_distribution_column('app.orders', user_id) = :'shardid';
