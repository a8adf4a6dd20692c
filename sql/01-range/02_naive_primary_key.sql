-- Lesson 01, step 2: the naive attempt. A primary key on a partitioned table is enforced per
-- partition, so it must contain the partition key; PRIMARY KEY (id) alone is refused:
--   ERROR: unique constraint on partitioned table must include all partitioning columns
-- (psql -f prints the error and goes on; the lesson shows the error.)
CREATE TABLE app.events_naive (
    id          uuid        NOT NULL PRIMARY KEY,
    tenant_id   integer     NOT NULL,
    occurred_at timestamptz NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb
) PARTITION BY RANGE (occurred_at);
