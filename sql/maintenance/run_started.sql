-- A run starts: its row in maintenance.run_history (the lock records), by the session that holds the maintenance
-- advisory lock, right after taking it; returns the row's id for run_finished. Call it in a transaction of its own
-- (autocommit), so that the row is seen at once and stays if the session dies. parent_table is recorded as the
-- configuration names it ('audit_logs' becomes 'audit.audit_logs'); a name that is not a managed table stays as given
-- (the run refuses it). Rows older than 90 days leave the history first.
CREATE OR REPLACE FUNCTION maintenance.run_started(what text, trigger text, parent_table text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    named text := parent_table;
    run   bigint;
BEGIN
    -- the records say which runs never overlapped: only the lock's holder may write one
    IF NOT EXISTS (SELECT FROM pg_locks l
                   WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted
                     AND ((l.classid::bigint << 32) | l.objid::bigint) = maintenance.lock_key()) THEN
        RAISE EXCEPTION 'run_started: this session does not hold the maintenance lock (pg_advisory_lock(maintenance.lock_key()) first)'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    DELETE FROM maintenance.run_history h WHERE h.started_at < now() - interval '90 days';
    IF named IS NOT NULL THEN
        BEGIN
            named := (maintenance.config_for(named)).parent_table;
        EXCEPTION WHEN invalid_parameter_value THEN
            NULL; -- not a managed table: recorded as given
        END;
    END IF;
    INSERT INTO maintenance.run_history (what, trigger, parent_table) VALUES (what, trigger, named)
    RETURNING run_history.id INTO run;
    RETURN run;
END
$$;
