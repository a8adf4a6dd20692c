-- A run that refused its input (an unknown table, a month out of bounds) before it changed anything leaves no record,
-- as it leaves no line in run_log: its row of maintenance.run_history goes (see run_started).
CREATE OR REPLACE FUNCTION maintenance.run_refused(id bigint) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    DELETE FROM maintenance.run_history h WHERE h.id = run_refused.id AND h.finished_at IS NULL
$$;
