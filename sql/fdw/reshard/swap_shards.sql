-- Run on the coordinator, right after step 3 (an empty app.events_sharded): the smallest reshard that moves every
-- tenant. Remainder 0 goes to shard2 and remainder 1 to shard1, the other way round from step 3. The partitions keep
-- their names and bounds; the servers behind them change, so every tenant now lives on the other shard. Lesson 08
-- runs it to show a client's stale copy of the map refused (lab.ShardMap); run step 6 on the shards next, then load.
-- Run step 3 again to put the layout back.
--   psql "postgresql://app:app@localhost:54325/app" -f sql/fdw/03_events_sharded.sql -f sql/fdw/reshard/swap_shards.sql
DROP FOREIGN TABLE app.events_mod2_r0, app.events_mod2_r1;

CREATE FOREIGN TABLE app.events_mod2_r0 PARTITION OF app.events_sharded
    FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard2 OPTIONS (schema_name 'app', table_name 'events_shard');

CREATE FOREIGN TABLE app.events_mod2_r1 PARTITION OF app.events_sharded
    FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard1 OPTIONS (schema_name 'app', table_name 'events_shard');
