-- Creates the partitions of a managed table for every month from from_month to to_month ('YYYY-MM', both
-- included), rescuing rows from the DEFAULT (see create_partition). Malformed months and from after to are
-- refused with SQLSTATE 22023 before anything is created. One line per partition created or skipped.
CREATE OR REPLACE FUNCTION maintenance.create_partitions(table_name text, from_month text, to_month text)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg        maintenance.partition_config := maintenance.config_for(table_name);
    first_day  date;
    last_day   date;
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
    IF first_day > last_day THEN
        RAISE EXCEPTION 'from % is after to %', from_month, to_month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
        SELECT line.* FROM generate_series(first_day, last_day, interval '1 month') AS m(month)
        CROSS JOIN LATERAL maintenance.create_partition(cfg, m.month::date) AS line;
END
$$;
