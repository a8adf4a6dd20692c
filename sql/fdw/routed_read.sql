-- Run on a shard, in front of a read a client routed here by its own copy of the hash bounds (lab.ShardMap): the
-- bounds this shard holds (sql/fdw/06_shard_bounds.sql), read in the same REPEATABLE READ snapshot as the query that
-- follows, so both see the shard before a reshard or both after it. The client compares them with its copy and
-- throws the query's rows away if they differ. The statements and the query go in one round trip; the client ends
-- the transaction (COMMIT).
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
SELECT shard_table, modulus, remainder FROM app.shard_bounds ORDER BY modulus, remainder;
