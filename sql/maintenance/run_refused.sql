-- A run that refused its input (an unknown table, a month out of bounds) before it changed anything leaves no record,
-- as it leaves no line in run_log: its row of maintenance.run_history goes (see run_started), and so does its id, so
-- that the database is as the refusal found it. Only the lock's holder draws ids, and it drew this one last.
CREATE OR REPLACE FUNCTION maintenance.run_refused(id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ids regclass := pg_get_serial_sequence('maintenance.run_history', 'id')::regclass;
BEGIN
    DELETE FROM maintenance.run_history h WHERE h.id = run_refused.id AND h.finished_at IS NULL;
    IF FOUND AND (SELECT s.last_value FROM pg_sequences s
                  WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass = ids) = run_refused.id THEN
        IF run_refused.id > 1 THEN
            PERFORM setval(ids, run_refused.id - 1);
        ELSE
            PERFORM setval(ids, 1, false);
        END IF;
    END IF;
END
$$;
