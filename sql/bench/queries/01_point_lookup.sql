-- Seed query: point lookup by id. The id alone: on the partitioned layout every month's primary-key index is probed
-- (the key includes occurred_at); on the sharded one both shards are asked (the id says nothing about the tenant).
--   psql "$DSN" -v table=events -v id=... -f sql/bench/queries/01_point_lookup.sql
SELECT * FROM app.:"table" WHERE id = :'id';
