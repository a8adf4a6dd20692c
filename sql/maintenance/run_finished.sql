-- A run ends: ok and a one-line detail on its row of maintenance.run_history (see run_started), by the same session,
-- before it lets go of the maintenance lock. A row finishes once; a second call changes nothing.
CREATE OR REPLACE FUNCTION maintenance.run_finished(id bigint, ok boolean, detail text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    UPDATE maintenance.run_history h
    SET finished_at = clock_timestamp(), ok = coalesce(run_finished.ok, false), detail = run_finished.detail
    WHERE h.id = run_finished.id AND h.finished_at IS NULL
$$;
