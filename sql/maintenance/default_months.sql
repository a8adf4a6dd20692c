-- The rows waiting in a managed table's DEFAULT partition, per calendar month of their key (NULL for a NULL key):
-- one scan of the DEFAULT, which reads nothing when it is empty.
CREATE OR REPLACE FUNCTION maintenance.default_months(cfg maintenance.partition_config, default_part regclass)
RETURNS TABLE (month date, rows bigint) LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT %s, count(*) FROM %s GROUP BY 1 ORDER BY 1', maintenance.month_of_key(cfg), default_part);
END
$$;
