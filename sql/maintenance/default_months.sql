-- The rows waiting in a managed table's DEFAULT partition, per calendar month of their key (NULL for a NULL key):
-- one scan of the DEFAULT, which reads nothing when it is empty. A plan reads the catalogs without the maintenance
-- lock, so a run may swap that DEFAULT away (a rescue) between the catalog read and this scan: then no rows wait in
-- it, and the plan says nothing of it rather than failing (any other error is raised). A plan's statement snapshot
-- still holds the dropped DEFAULT, so whether it is gone is asked of regclass, not of pg_class.
CREATE OR REPLACE FUNCTION maintenance.default_months(cfg maintenance.partition_config, default_part regclass)
RETURNS TABLE (month date, rows bigint) LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT %s, count(*) FROM %s GROUP BY 1 ORDER BY 1', maintenance.month_of_key(cfg), default_part);
EXCEPTION WHEN undefined_table OR syntax_error THEN
    -- a dropped relation's regclass prints as its bare number, which the text above fails to parse; the catalog cache
    -- behind that print is current, where a query of pg_class would still see the statement's older snapshot
    IF default_part::text !~ '^[0-9]+$' THEN
        RAISE;
    END IF;
END
$$;
