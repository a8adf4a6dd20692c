-- Makes sure each managed table (or the one named) has its partitions for the current month and the months ahead
-- its configuration asks for (premake_months), as of today. One line per partition created or skipped.
CREATE OR REPLACE FUNCTION maintenance.create_future_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS SETOF maintenance.action_line LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT line.*
    FROM maintenance.configured_tables(table_name) cfg
    CROSS JOIN LATERAL generate_series(date_trunc('month', today),
                                       date_trunc('month', today) + make_interval(months => cfg.premake_months),
                                       interval '1 month') AS m(month)
    CROSS JOIN LATERAL maintenance.create_partition(cfg, m.month::date) AS line
$$;
