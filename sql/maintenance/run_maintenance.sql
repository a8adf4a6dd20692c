-- The daily job in one call, for pg_cron or psql (the Maintain.java runbook runs the same steps one by one, with
-- ANALYZE per partition and VACUUM, which no function can run): for each enabled managed table (or the one named)
-- create the months ahead, rescue rows from the DEFAULT, ANALYZE what is stale, apply retention (a dry run unless
-- dry_run is false), refresh the metadata. Holds the maintenance advisory lock for the transaction, so it never
-- interleaves with another run; waits for one in progress. Returns every action line.
CREATE OR REPLACE FUNCTION maintenance.run_maintenance(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                       dry_run boolean DEFAULT true)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    target  record;
    started timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(maintenance.lock_key());
    RETURN QUERY SELECT * FROM maintenance.create_future_partitions(table_name, today);
    RETURN QUERY SELECT * FROM maintenance.move_default_rows(table_name, today);
    FOR target IN SELECT * FROM maintenance.maintenance_targets(table_name, true) LOOP
        started := clock_timestamp();
        EXECUTE format('ANALYZE %s', target.relation::regclass);
        RETURN NEXT ROW(target.parent_table, 'analyze', target.relation, NULL::bigint,
                        extract(epoch FROM clock_timestamp() - started) * 1000, target.reason)::maintenance.action_line;
    END LOOP;
    RETURN QUERY SELECT * FROM maintenance.drop_old_partitions(table_name, today, dry_run);
    RETURN QUERY SELECT * FROM maintenance.refresh_metadata(table_name);
END
$$;
