-- Fills the gaps: creates every missing month partition of each managed table (or the one named), from its
-- oldest partition or its oldest row waiting in the DEFAULT (but not before the retention cutoff) up to the
-- months ahead its configuration asks for. Rows waiting in the DEFAULT move into their partitions.
CREATE OR REPLACE FUNCTION maintenance.create_missing_partitions(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config;
    oldest       date;
    oldest_row   date;
    default_part regclass;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        SELECT min(p.partition_month), (array_agg(p.partition) FILTER (WHERE p.is_default))[1]
        INTO oldest, default_part FROM maintenance.partitions(cfg) p;
        oldest_row := NULL;
        IF default_part IS NOT NULL THEN
            EXECUTE format('SELECT min(%s) FROM %s', maintenance.month_of_key(cfg), default_part) INTO oldest_row;
        END IF;
        oldest := greatest(least(oldest, oldest_row, date_trunc('month', today)::date),
                           maintenance.retention_cutoff(cfg, today));
        RETURN QUERY
            SELECT line.*
            FROM generate_series(oldest, date_trunc('month', today) + make_interval(months => cfg.premake_months),
                                 interval '1 month') AS m(month)
            CROSS JOIN LATERAL maintenance.create_partition(cfg, m.month::date) AS line;
    END LOOP;
END
$$;
