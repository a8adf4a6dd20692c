-- The one rule for a retention: NULL (keep every partition) or 1 to 1200 months (100 years). 0 or less would drop the
-- current month's data, and more than 1200 reaches past the dates the manager accepts (checked_day); both are refused
-- with SQLSTATE 22023, wherever they come from (registering, configuring, a one-off run).
CREATE OR REPLACE FUNCTION maintenance.checked_retention(months integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF months <= 0 THEN
        RAISE EXCEPTION 'a retention of % months would drop current data: use 1 or more (or none, to keep everything)', months
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF months > 1200 THEN
        RAISE EXCEPTION 'a retention of % months is more than the 1200 (100 years) the manager accepts', months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN months;
END
$$;
