-- Gives a managed table the months planned for it (month_steps), one step per transaction, so that no lock outlives
-- its step (CALL it outside a transaction block): first the rescue, one online swap of the DEFAULT for the months
-- whose rows wait there, run to its end (begin_rescue, online.stage, online.swap_window, online.verify_swap, then
-- online.finish_swap or, when the rows differ, online.revert_swap); then the empty months (create_months, one
-- window). Every line is said (maintenance.say) under run_id. touched comes back with the partitions created or
-- filled and the new DEFAULT, for the ANALYZE that follows. A step that fails (a lock not got within its budget: the
-- message names the session in the way) is an 'error' line, changes nothing (a rescue is aborted: its copies go, the
-- DEFAULT stays), and ends the table's work: failed comes back true.
CREATE OR REPLACE PROCEDURE maintenance.make_months(table_name text, rescue date[], empty date[], run_id bigint,
                                                    INOUT touched text[] DEFAULT '{}', INOUT failed boolean DEFAULT false)
LANGUAGE plpgsql AS $$
DECLARE
    begun            record;
    verified         record;
    failure          text;
    step             text;
    l                maintenance.action_line;
    previous_timeout text := current_setting('online.lock_timeout_ms', true);
    previous_budget  text := current_setting('online.lock_budget_ms', true);
BEGIN
    IF coalesce(cardinality(rescue), 0) > 0 THEN
        step := 'rescue';
        BEGIN
            SELECT * INTO begun FROM maintenance.begin_rescue(table_name, rescue);
        EXCEPTION WHEN OTHERS THEN
            failure := SQLERRM;
        END;
        COMMIT;
        IF failure IS NULL THEN
            -- the swap's later transactions under the discipline begin_rescue chose (the session's, else the table's)
            PERFORM set_config('online.lock_timeout_ms', begun.lock_timeout_ms::text, false);
            PERFORM set_config('online.lock_budget_ms', begun.lock_budget_ms::text, false);
            CALL online.stage(begun.swap_id);
            BEGIN
                PERFORM online.swap_window(begun.swap_id);
            EXCEPTION WHEN OTHERS THEN
                failure := SQLERRM;
            END;
            COMMIT;
            IF failure IS NOT NULL THEN
                failure := failure || ' (' || online.abort_swap(begun.swap_id) || ')';
            ELSE
                SELECT * INTO verified FROM online.verify_swap(begun.swap_id);
                COMMIT;
                IF verified.matches THEN
                    PERFORM online.finish_swap(begun.swap_id);
                    touched := touched || (SELECT u.n FROM online.swaps w CROSS JOIN LATERAL unnest(w.new_names, w.new_lowers) AS u(n, lo)
                                           WHERE w.swap_id = begun.swap_id AND u.lo IS NULL);
                ELSE
                    CALL online.revert_swap(begun.swap_id);
                    failed := true;
                END IF;
                FOR l IN SELECT * FROM maintenance.rescue_lines(begun.swap_id) LOOP
                    PERFORM maintenance.say(run_id, l);
                    IF l.action = 'create' THEN
                        touched := touched || l.partition_name;
                    END IF;
                END LOOP;
            END IF;
            COMMIT;
            PERFORM set_config('online.lock_timeout_ms', coalesce(previous_timeout, ''), false);
            PERFORM set_config('online.lock_budget_ms', coalesce(previous_budget, ''), false);
        END IF;
    END IF;
    IF failure IS NULL AND NOT failed AND coalesce(cardinality(empty), 0) > 0 THEN
        step := 'create';
        BEGIN
            FOR l IN SELECT * FROM maintenance.create_months(table_name, empty) LOOP
                PERFORM maintenance.say(run_id, l);
                IF l.action = 'create' THEN
                    touched := touched || l.partition_name;
                END IF;
            END LOOP;
        EXCEPTION WHEN OTHERS THEN
            failure := SQLERRM;
        END;
        COMMIT;
    END IF;
    IF failure IS NOT NULL THEN
        PERFORM maintenance.say(run_id, maintenance.line(table_name, 'error', NULL, NULL, 0, format('%s: %s', step, failure)));
        COMMIT;
        failed := true;
    END IF;
END
$$;
