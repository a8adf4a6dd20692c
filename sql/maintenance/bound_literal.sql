-- The start of a month as a SQL literal of the table's key type (see bound_value), for FOR VALUES FROM (...) TO (...)
-- and for WHERE clauses: '2025-03-01 00:00:00+00'::timestamptz, '2025-03-01 00:00:00'::timestamp, '2025-03-01'::date.
CREATE OR REPLACE FUNCTION maintenance.bound_literal(cfg maintenance.partition_config, month date)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT quote_literal(maintenance.bound_value(cfg, month)) || '::' || CASE format_type(a.atttypid, NULL)
               WHEN 'timestamp with time zone' THEN 'timestamptz'
               WHEN 'timestamp without time zone' THEN 'timestamp'
               ELSE 'date'
           END
    FROM pg_attribute a
    WHERE a.attrelid = cfg.parent_table::regclass AND a.attname = cfg.control_column
$$;
