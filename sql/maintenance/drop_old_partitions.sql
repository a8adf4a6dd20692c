-- Retention for each managed table (or the one named): the partitions wholly before the cutoff (see
-- retention_cutoff, retention_plan) leave the table the way its configuration says: dropped, detached (kept as a
-- standalone table), or detached and moved to its archive schema (retire_partitions). A dry run (the default) only
-- says what it would do, with each partition's exact row count. Never touched, whatever the configuration: the
-- DEFAULT partition (its rows older than the cutoff stay, in a 'keep' line) and the newest partition. A retention
-- override of 0 or less is refused (SQLSTATE 22023). One line per partition.
-- Applied, a table's partitions are detached in one exclusive window (retire_partitions)
-- and, for drop, dropped (drop_retired), all in this function's one transaction: its locks last to its end, when the
-- dropped files are unlinked. The daily job and Maintain.java use apply_retention instead, which commits the window
-- before the DROPs.
CREATE OR REPLACE FUNCTION maintenance.drop_old_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date,
                                                           dry_run boolean DEFAULT true, retention_months integer DEFAULT NULL)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg   maintenance.partition_config;
    plan  maintenance.action_line[];
    going maintenance.action_line[];
    done  maintenance.action_line[];
BEGIN
    PERFORM maintenance.checked_retention(retention_months);
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        plan := ARRAY(SELECT p FROM maintenance.retention_plan(cfg, today, retention_months, dry_run) AS p);
        going := ARRAY(SELECT p FROM unnest(plan) AS p WHERE NOT dry_run AND p.action LIKE 'would %');
        RETURN QUERY SELECT * FROM unnest(plan) AS p WHERE dry_run OR p.action = 'keep';
        done := ARRAY(SELECT r FROM maintenance.retire_partitions(cfg, going, today) AS r);
        PERFORM maintenance.drop_retired(cfg, done);
        RETURN QUERY SELECT * FROM unnest(done);
    END LOOP;
END
$$;
