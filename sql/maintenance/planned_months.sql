-- The months month_steps plans for a managed table, split for make_months: those to rescue and those to create
-- empty; the other lines (skip, keep) are said under run_id (maintenance.say) as they are.
CREATE OR REPLACE FUNCTION maintenance.planned_months(cfg maintenance.partition_config, today date, months date[], fill_gaps boolean,
                                                      run_id bigint, OUT rescue date[], OUT empty date[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    rescue := '{}';
    empty := '{}';
    FOR s IN SELECT * FROM maintenance.month_steps(cfg, today, months, fill_gaps) LOOP
        CASE s.step
            WHEN 'rescue' THEN rescue := rescue || s.month;
            WHEN 'create' THEN empty := empty || s.month;
            ELSE PERFORM maintenance.say(run_id, maintenance.line(cfg.parent_table, s.step, s.partition_name, s.rows, 0, s.detail));
        END CASE;
    END LOOP;
END
$$;
