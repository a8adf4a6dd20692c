-- The rows waiting in a managed table's DEFAULT partition, per calendar month of their key (NULL for a NULL key):
-- one scan of the DEFAULT, which reads nothing when it is empty. A plan reads the catalogs without the maintenance
-- lock, so a run may swap that DEFAULT away (a rescue) between the catalog read and this scan: then no rows wait in
-- it, and the plan says nothing of it rather than failing (any other error is raised).
CREATE OR REPLACE FUNCTION maintenance.default_months(cfg maintenance.partition_config, default_part regclass)
RETURNS TABLE (month date, rows bigint) LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT %s, count(*) FROM %s GROUP BY 1 ORDER BY 1', maintenance.month_of_key(cfg), default_part);
EXCEPTION WHEN undefined_table OR syntax_error THEN
    -- a dropped relation's regclass prints as its number, which the text above fails to parse
    IF EXISTS (SELECT FROM pg_class WHERE oid = default_part) THEN
        RAISE;
    END IF;
END
$$;
