-- An exclusive window says so while it lasts: its session's application_name reads 'online window: <what>' until
-- the window's transaction ends, so that pg_stat_activity (and sql/lab/window_locks.sql, which a lesson uses to
-- show pg_locks) can tell a window from anything else. Call it right after online.lock_relations.
CREATE OR REPLACE FUNCTION online.enter_window(what text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT set_config('application_name', left('online window: ' || what, 63), true)
$$;

-- The end of a window, before its commit: when online.hold_window_ms is set (a lesson, to look at pg_locks while the
-- window holds its locks; never in production), the window waits that long, still holding them.
CREATE OR REPLACE FUNCTION online.hold_window() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    hold text := nullif(current_setting('online.hold_window_ms', true), '');
BEGIN
    IF hold IS NOT NULL THEN
        IF hold !~ '^\d{1,6}$' THEN
            RAISE EXCEPTION 'online.hold_window_ms must be a number of milliseconds, not %', quote_literal(hold)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM pg_sleep(hold::int / 1000.0);
    END IF;
END
$$;
