-- The months from from_month to to_month ('YYYY-MM', both included), as the first day of each. Malformed months and
-- from after to are refused with SQLSTATE 22023, before anything happens.
CREATE OR REPLACE FUNCTION maintenance.months_between(from_month text, to_month text) RETURNS date[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF from_month IS NULL OR from_month !~ '^\d{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION 'not a month: % (use YYYY-MM, e.g. 2025-01)', coalesce(quote_literal(from_month), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_month IS NULL OR to_month !~ '^\d{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION 'not a month: % (use YYYY-MM, e.g. 2025-12)', coalesce(quote_literal(to_month), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_date(from_month, 'YYYY-MM') > to_date(to_month, 'YYYY-MM') THEN
        RAISE EXCEPTION 'from % is after to %', from_month, to_month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN ARRAY(SELECT m::date FROM generate_series(to_date(from_month, 'YYYY-MM'), to_date(to_month, 'YYYY-MM'), interval '1 month') AS m);
END
$$;
