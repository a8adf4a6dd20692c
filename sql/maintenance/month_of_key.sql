-- A SQL expression for the calendar month (a date, the 1st) of a managed table's key in a row: UTC months for a
-- timestamptz key, whatever the session's time zone, as the partition bounds are.
CREATE OR REPLACE FUNCTION maintenance.month_of_key(cfg maintenance.partition_config)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE format_type(a.atttypid, NULL)
               WHEN 'timestamp with time zone' THEN format('date_trunc(''month'', %I AT TIME ZONE ''UTC'')::date', a.attname)
               ELSE format('date_trunc(''month'', %I)::date', a.attname)
           END
    FROM pg_attribute a
    WHERE a.attrelid = cfg.parent_table::regclass AND a.attname = cfg.control_column
$$;
