-- Limit 1, continued (coordinator; fails on purpose): a unique index on the parent would need one on every partition,
-- and a foreign table can have no index. Expected: ERROR cannot create unique index on partitioned table
-- "events_sharded" (SQLSTATE 42809), DETAIL: ... contains partitions that are foreign tables.
ALTER TABLE app.events_sharded ADD PRIMARY KEY (id, tenant_id);
