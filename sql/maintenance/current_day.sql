-- The server's own date, which no "today" given to a function can move: the earlier of current_date (the session's
-- time zone) and the date in UTC (the zone of the bounds of timestamptz keys, see partitions), so that in any zone a
-- partition holding rows written today counts as reaching it. Retention never retires a partition whose range
-- reaches this day or lies after it (expired_partitions, retire_partitions), whatever day it is told it is.
CREATE OR REPLACE FUNCTION maintenance.current_day() RETURNS date
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT least(current_date, (now() AT TIME ZONE 'UTC')::date)
$$;
