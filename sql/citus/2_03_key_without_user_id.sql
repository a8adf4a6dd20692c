-- Phase 2, step 3 (coordinator): why the primary key must include the distribution column. A table shaped like
-- phase 1's orders (primary key order_id alone) cannot be distributed by user_id: each shard can enforce uniqueness
-- only among its own rows, so Citus refuses a unique constraint that does not contain the column rows are routed by.
-- Tried on a scratch table, which is dropped again.
CREATE TABLE IF NOT EXISTS app.orders_key_demo (order_id bigint PRIMARY KEY, user_id bigint NOT NULL);
SELECT lab.citus_try($$SELECT create_distributed_table('app.orders_key_demo', 'user_id')$$) AS distributing_by_user_id;
DROP TABLE app.orders_key_demo;
