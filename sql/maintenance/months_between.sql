-- The months from from_month to to_month ('YYYY-MM', both included), as the first day of each. Refused with SQLSTATE
-- 22023, before anything happens: malformed months, from after to, a month outside the dates the manager accepts
-- (checked_day: 2000-01 to 2100-12), and more than 240 months (20 years) at once, which no table needs in one call
-- (0001-01 to 9999-12 ran for minutes and ended in "out of shared memory").
CREATE OR REPLACE FUNCTION maintenance.months_between(from_month text, to_month text) RETURNS date[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    first_day date;
    last_day  date;
    span      integer;
BEGIN
    IF from_month IS NULL OR from_month !~ '^\d{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION 'not a month: % (use YYYY-MM, e.g. 2025-01)', coalesce(quote_literal(from_month), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_month IS NULL OR to_month !~ '^\d{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION 'not a month: % (use YYYY-MM, e.g. 2025-12)', coalesce(quote_literal(to_month), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    first_day := to_date(from_month, 'YYYY-MM');
    last_day := to_date(to_month, 'YYYY-MM');
    IF first_day NOT BETWEEN date '2000-01-01' AND date '2100-12-31' OR last_day NOT BETWEEN date '2000-01-01' AND date '2100-12-31' THEN
        RAISE EXCEPTION 'month % is outside the months the partition manager accepts: 2000-01 to 2100-12 (days 2000-01-01 to 2100-12-31, see checked_day)',
            CASE WHEN first_day NOT BETWEEN date '2000-01-01' AND date '2100-12-31' THEN from_month ELSE to_month END
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF first_day > last_day THEN
        RAISE EXCEPTION 'from % is after to %', from_month, to_month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    span := (extract(year FROM last_day) - extract(year FROM first_day)) * 12 + extract(month FROM last_day) - extract(month FROM first_day) + 1;
    IF span > 240 THEN
        RAISE EXCEPTION 'from % to % is % months: at most 240 (20 years) at once', from_month, to_month, span
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN ARRAY(SELECT m::date FROM generate_series(first_day, last_day, interval '1 month') AS m);
END
$$;
