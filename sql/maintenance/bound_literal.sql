-- The start of a month as a SQL literal of the table's key type, for FOR VALUES FROM (...) TO (...) and for
-- WHERE clauses. A timestamptz key gets UTC midnight with its offset written out, whatever the session's zone.
CREATE OR REPLACE FUNCTION maintenance.bound_literal(cfg maintenance.partition_config, month date)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE format_type(a.atttypid, NULL)
               WHEN 'timestamp with time zone' THEN quote_literal(to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00') || '::timestamptz'
               WHEN 'timestamp without time zone' THEN quote_literal(to_char(month, 'YYYY-MM-DD') || ' 00:00:00') || '::timestamp'
               ELSE quote_literal(to_char(month, 'YYYY-MM-DD')) || '::date'
           END
    FROM pg_attribute a
    WHERE a.attrelid = cfg.parent_table::regclass AND a.attname = cfg.control_column
$$;
