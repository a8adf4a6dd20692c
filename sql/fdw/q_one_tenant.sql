-- Run on the coordinator: one tenant's rows. The tenant is a constant in the text (psql -v tenant=42), so the planner
-- prunes to the one foreign partition the tenant hashes to and sends the filter to that shard only.
--   psql "$COORDINATOR" -v tenant=42 -f sql/fdw/q_one_tenant.sql
SELECT count(*) FROM app.events_sharded WHERE tenant_id = :'tenant';
