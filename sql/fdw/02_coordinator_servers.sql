-- Lesson 07, step 2 (run on the coordinator): postgres_fdw and one foreign server per shard, each with a user mapping.
-- Where the shards are, as the coordinator reaches them (not always as you do: under docker compose it is shard1:5432):
--   psql "postgresql://app:app@localhost:54325/app" \
--        -c "SET lab.shard1_host = 'shard1'" -c "SET lab.shard1_port = '5432'" \
--        -c "SET lab.shard2_host = 'shard2'" -c "SET lab.shard2_port = '5432'" \
--        -c "SET lab.shard_dbname = 'app'" -c "SET lab.shard_user = 'app'" -c "SET lab.shard_password = 'app'" \
--        -f sql/fdw/02_coordinator_servers.sql
-- Options set on purpose (each server):
--   async_capable 'true'   an Append over both shards starts both remote scans and collects rows as they come, so
--                          the shards work at the same time ("Async Foreign Scan" in the plan) instead of one after
--                          the other.
--   batch_size '1000'      INSERT and COPY through the coordinator send 1,000 rows per round trip to a shard instead
--                          of one row each (the default 1).
--   parallel_commit 'true' at COMMIT the coordinator sends COMMIT to every shard at once instead of one after the
--                          other: faster, and still not atomic (lesson 08's no-two-phase-commit limit shows this).
-- fetch_size stays at its default (100 rows per round trip when reading).
-- Re-running the file recreates the servers, and with them (CASCADE) every foreign table that used them.
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SCHEMA IF NOT EXISTS app;

DO $$
DECLARE
    shard text;
BEGIN
    FOREACH shard IN ARRAY ARRAY['shard1', 'shard2'] LOOP
        EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', shard);
        EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (
                            host %L, port %L, dbname %L,
                            async_capable ''true'', batch_size ''1000'', parallel_commit ''true'')',
                       shard, current_setting('lab.' || shard || '_host'), current_setting('lab.' || shard || '_port'),
                       current_setting('lab.shard_dbname'));
        EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (user %L, password %L)',
                       shard, current_setting('lab.shard_user'), current_setting('lab.shard_password'));
        -- the shard's monitoring view, readable here as app.<shard>_stats
        EXECUTE format('CREATE FOREIGN TABLE app.%I (port int, row_count bigint, total_bytes bigint)
                            SERVER %I OPTIONS (schema_name ''app'', table_name ''shard_stats'')',
                       shard || '_stats', shard);
    END LOOP;
END
$$;
