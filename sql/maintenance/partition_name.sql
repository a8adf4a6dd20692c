-- The name (unqualified) of a managed table's partition for a month, or of its DEFAULT partition (month NULL),
-- from the table's patterns: {table} is the table's own name, {YYYY} and {MM} the month's year and month.
-- e.g. '{table}_p{YYYY}_{MM}' -> audit_logs_p2025_01, '{table}_{YYYY}_{MM}' -> events_2025_01.
CREATE OR REPLACE FUNCTION maintenance.partition_name(cfg maintenance.partition_config, month date DEFAULT NULL)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN month IS NULL
                THEN replace(cfg.default_pattern, '{table}', (parse_ident(cfg.parent_table))[2])
                ELSE replace(replace(replace(cfg.name_pattern, '{table}', (parse_ident(cfg.parent_table))[2]),
                             '{YYYY}', to_char(month, 'YYYY')), '{MM}', to_char(month, 'MM'))
           END
$$;
