-- Lesson 07, step 6 (run on each shard, after step 3 on the coordinator): records in app.shard_bounds the hash bounds
-- of app.events_sharded this shard holds, as the coordinator's catalog says them (sql/fdw/hash_bounds.sql). A client
-- that routes a tenant's read itself, by its own copy of those bounds (lab.ShardMap), sends them with the read; the
-- shard answers only if they are the ones recorded here (sql/fdw/routed_read.sql). A reshard that moves tenants
-- records the new bounds in the same step, so a copy taken before it is refused instead of reading the wrong shard.
-- lab.bounds: a JSON array of {"shard_table", "modulus", "remainder"}, one per partition on this shard.
--   PGOPTIONS="-c lab.bounds=[{\"shard_table\":\"app.events_shard\",\"modulus\":2,\"remainder\":0}]" \
--     psql "postgresql://app:app@localhost:54323/app" -f sql/fdw/06_shard_bounds.sql
BEGIN;
DELETE FROM app.shard_bounds;
INSERT INTO app.shard_bounds (shard_table, modulus, remainder)
SELECT b.shard_table, b.modulus, b.remainder
FROM json_to_recordset(current_setting('lab.bounds')::json) AS b(shard_table text, modulus int, remainder int);
COMMIT;
SELECT shard_table, modulus, remainder FROM app.shard_bounds ORDER BY modulus, remainder;
