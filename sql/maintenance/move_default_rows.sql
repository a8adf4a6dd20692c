-- Rescues rows from the DEFAULT partition of each managed table (or the one named): every month that has rows
-- there, from the retention cutoff to the months ahead the configuration asks for, gets its partition and its
-- rows (see create_partition). Rows outside those months stay where they are, reported in a 'keep' line: the
-- manager never creates partitions only for retention to drop them, nor for a row dated far in the future.
CREATE OR REPLACE FUNCTION maintenance.move_default_rows(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config;
    default_part regclass;
    first_kept   date;
    after_last   date;
    managed      text;
    months       date[];
    outside      bigint;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        SELECT p.partition INTO default_part FROM maintenance.partitions(cfg) p WHERE p.is_default;
        CONTINUE WHEN default_part IS NULL;
        first_kept := maintenance.retention_cutoff(cfg, today);
        after_last := (date_trunc('month', today) + make_interval(months => cfg.premake_months + 1))::date;
        managed := maintenance.month_condition(cfg, first_kept, after_last);
        EXECUTE format('SELECT array_agg(DISTINCT %1$s ORDER BY %1$s) FILTER (WHERE %2$s), count(*) FILTER (WHERE NOT (%2$s)) FROM %3$s',
                       maintenance.month_of_key(cfg), managed, default_part)
            INTO months, outside;
        IF months IS NOT NULL THEN
            RETURN QUERY SELECT line.* FROM unnest(months) AS m(month) CROSS JOIN LATERAL maintenance.create_partition(cfg, m.month) AS line;
        END IF;
        IF outside > 0 THEN
            RETURN NEXT ROW(cfg.parent_table, 'keep', default_part::text, outside, 0::float8,
                            format('rows outside the managed months (%s to %s) stay in the DEFAULT: move or delete them on purpose',
                                   coalesce(to_char(first_kept, 'YYYY-MM'), 'any'),
                                   to_char(after_last - interval '1 month', 'YYYY-MM')))::maintenance.action_line;
        END IF;
    END LOOP;
END
$$;
