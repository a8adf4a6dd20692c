-- Benchmark (plain and partitioned layouts): the seed's common indexes on app.<table>, declared before the load so
-- that every layout loads into the same indexes (the shards' app.events_shard has them from sql/fdw/01_shard_table.sql).
-- On the partitioned app.events they are declared once, on the parent, and exist on every partition.
--   psql "$DSN" -v table=events_plain -f sql/bench/indexes.sql
CREATE INDEX ON app.:"table" (occurred_at);
CREATE INDEX ON app.:"table" (tenant_id);
CREATE INDEX ON app.:"table" (tenant_id, occurred_at);
