-- The start of a month as a value of the table's key type, written out as text: '2025-03-01 00:00:00+00' for a
-- timestamptz key (UTC midnight, whatever the session's zone), '2025-03-01 00:00:00' for timestamp, '2025-03-01'
-- for date. What online.begin_swap takes as a bound, and what bound_literal quotes.
CREATE OR REPLACE FUNCTION maintenance.bound_value(cfg maintenance.partition_config, month date)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE format_type(a.atttypid, NULL)
               WHEN 'timestamp with time zone' THEN to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00'
               WHEN 'timestamp without time zone' THEN to_char(month, 'YYYY-MM-DD') || ' 00:00:00'
               ELSE to_char(month, 'YYYY-MM-DD')
           END
    FROM pg_attribute a
    WHERE a.attrelid = cfg.parent_table::regclass AND a.attname = cfg.control_column
$$;
