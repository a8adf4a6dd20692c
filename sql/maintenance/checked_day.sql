-- The dates the partition manager accepts, for "today" and for months: 2000-01-01 to 2100-12-31. A day outside that
-- window is a typo or a test of the tool, not a plan (--today 9999-12-31 made a partition for the year 9999), and is
-- refused with SQLSTATE 22023 before anything happens. Returns the day. Maintain.java checks the same window first
-- (PartitionManager.EARLIEST_DAY, LATEST_DAY).
CREATE OR REPLACE FUNCTION maintenance.checked_day(day date, what text DEFAULT 'today') RETURNS date
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF day NOT BETWEEN date '2000-01-01' AND date '2100-12-31' THEN
        RAISE EXCEPTION '% % is outside the dates the partition manager accepts: 2000-01-01 to 2100-12-31', what, day
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN day;
END
$$;
