-- What the daily run would do today, for each enabled managed table (or the one named): the catalogs read once, the
-- DEFAULT partition scanned once (nothing to read when it is empty), nothing changed. step says what a line is for:
--   rescue     rows of the month wait in the DEFAULT ('would rescue'; month: the month)
--   create     the month's partition is missing ('would create')
--   retention  retention_plan's lines, when the table has something to retire: a partition past retention ('would
--              drop', 'would detach', 'would archive', rows as the statistics say) and what it keeps
--   report     keep and skip lines, to be said as they are
-- A table with nothing to do gives no line but its report lines: that is how the run skips it cheaply.
CREATE OR REPLACE FUNCTION maintenance.daily_plan(table_name text DEFAULT NULL, today date DEFAULT current_date)
RETURNS TABLE (step text, month date, parent_table text, action text, partition_name text, rows bigint,
               duration_ms double precision, detail text, window_rows bigint, window_ms double precision, lock_attempts integer)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg maintenance.partition_config;
BEGIN
    FOR cfg IN SELECT * FROM maintenance.configured_tables(table_name) LOOP
        IF to_regclass(cfg.parent_table) IS NULL THEN
            RETURN QUERY SELECT 'report', NULL::date, (maintenance.line(cfg.parent_table, 'error', NULL, NULL, 0,
                                                                        'the configured table is gone: nothing done')).*;
            CONTINUE;
        END IF;
        RETURN QUERY
            SELECT CASE WHEN s.step IN ('rescue', 'create') THEN s.step ELSE 'report' END, s.month, (x.l).*
            FROM maintenance.month_steps(cfg, today) s
            CROSS JOIN LATERAL (SELECT maintenance.line(cfg.parent_table, CASE WHEN s.step IN ('rescue', 'create') THEN 'would ' || s.step
                                                                               ELSE s.step END,
                                                        s.partition_name, s.rows, 0, s.detail) AS l) x;
        RETURN QUERY
            SELECT CASE WHEN bool_or(r.action LIKE 'would %') OVER () THEN 'retention' ELSE 'report' END, NULL::date, r.*
            FROM maintenance.retention_plan(cfg, today, NULL, false) r;
    END LOOP;
END
$$;
