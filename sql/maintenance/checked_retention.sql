-- The one rule for a retention: NULL (keep every partition) or 1 month or more. 0 or less would drop the current
-- month's data and is refused with SQLSTATE 22023, wherever it comes from (registering, configuring, a one-off run).
CREATE OR REPLACE FUNCTION maintenance.checked_retention(months integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF months <= 0 THEN
        RAISE EXCEPTION 'a retention of % months would drop current data: use 1 or more (or none, to keep everything)', months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN months;
END
$$;
