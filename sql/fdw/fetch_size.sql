-- Run on the coordinator: postgres_fdw's fetch_size on the foreign servers shard1 and shard2, from lab.fetch_size
-- ('default' or empty: back to postgres_fdw's default of 100 rows). A scan reads a foreign table in batches of
-- fetch_size rows, one round trip each: 100 means 5,000 round trips for half a million rows. Larger batches cut the
-- round trips and cost memory on the coordinator; they do nothing for an aggregate computed on the shard (one row
-- back), and they cost where a LIMIT is not sent to the shard (through a partitioned parent postgres_fdw sends the
-- ORDER BY, not the LIMIT): the first fetch then brings up to fetch_size rows to keep a few. ALTER SERVER closes
-- the coordinator's open connections to that shard: do it between runs, not during one.
DO $$
DECLARE
    shard text;
    wanted text := nullif(nullif(current_setting('lab.fetch_size', true), ''), 'default');
    present boolean;
BEGIN
    FOREACH shard IN ARRAY ARRAY['shard1', 'shard2'] LOOP
        SELECT EXISTS (SELECT FROM pg_foreign_server s, unnest(s.srvoptions) AS o
                       WHERE s.srvname = shard AND o LIKE 'fetch_size=%') INTO present;
        IF wanted IS NULL AND present THEN
            EXECUTE format('ALTER SERVER %I OPTIONS (DROP fetch_size)', shard);
        ELSIF wanted IS NOT NULL THEN
            EXECUTE format('ALTER SERVER %I OPTIONS (%s fetch_size %L)', shard, CASE WHEN present THEN 'SET' ELSE 'ADD' END,
                           wanted::int::text);
        END IF;
    END LOOP;
END
$$;
SELECT srvname AS shard, coalesce((SELECT substring(o FROM 'fetch_size=(.*)') FROM unnest(srvoptions) AS o WHERE o LIKE 'fetch_size=%'),
                                 '100 (default)') AS fetch_size
FROM pg_foreign_server WHERE srvname IN ('shard1', 'shard2') ORDER BY srvname;
