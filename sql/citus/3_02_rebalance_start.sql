-- Phase 3 (coordinator): starts a rebalance as a background job and returns its id at once (NULL when there is
-- nothing to move). Shards move online, by logical replication: reads and writes go on meanwhile.
-- Watch it with 3_03_rebalance_status.sql; wait for it with SELECT citus_rebalance_wait().
SELECT citus_rebalance_start() AS job_id;
