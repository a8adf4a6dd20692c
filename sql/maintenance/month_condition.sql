-- A WHERE condition selecting a managed table's rows from the first day of one month (NULL: from the beginning)
-- up to, not including, the first day of another, with the bounds typed like the key (see bound_literal).
CREATE OR REPLACE FUNCTION maintenance.month_condition(cfg maintenance.partition_config, from_month date, before_month date)
RETURNS text LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT concat_ws(' AND ',
                     CASE WHEN from_month IS NOT NULL THEN format('%I >= %s', cfg.control_column, maintenance.bound_literal(cfg, from_month)) END,
                     format('%I < %s', cfg.control_column, maintenance.bound_literal(cfg, before_month)))
$$;
