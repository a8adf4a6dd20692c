-- Run on the coordinator: points the foreign servers shard1 and shard2 (if they exist) at where the shards are now,
-- from the same settings as step 2. Embedded shards get a new port whenever they start again; compose and dsn
-- shards stay where they were. A server already pointing there is left alone: ALTER SERVER would close the
-- coordinator's open connections to that shard for nothing. The user mapping's password follows the shard's as well
-- (the embedded servers' password comes from LAB_HOME/pgpass; a data folder from before it had 'app').
DO $$
DECLARE
    shard text;
BEGIN
    FOREACH shard IN ARRAY ARRAY['shard1', 'shard2'] LOOP
        IF EXISTS (SELECT FROM pg_foreign_server s
                   WHERE s.srvname = shard
                     AND NOT (s.srvoptions @> ARRAY['host=' || current_setting('lab.' || shard || '_host'),
                                                   'port=' || current_setting('lab.' || shard || '_port')])) THEN
            EXECUTE format('ALTER SERVER %I OPTIONS (SET host %L, SET port %L)', shard,
                           current_setting('lab.' || shard || '_host'), current_setting('lab.' || shard || '_port'));
        END IF;
        IF EXISTS (SELECT FROM pg_user_mappings m
                   WHERE m.srvname = shard AND m.usename = current_user
                     AND NOT (coalesce(m.umoptions, '{}') @> ARRAY['password=' || current_setting('lab.shard_password')])) THEN
            EXECUTE format('ALTER USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (SET password %L)',
                           shard, current_setting('lab.shard_password'));
        END IF;
    END LOOP;
END
$$;
