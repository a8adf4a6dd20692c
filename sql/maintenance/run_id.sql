-- A run's id: the one given, else a new one; the lines of runs older than 30 days leave the log as a run starts.
CREATE OR REPLACE FUNCTION maintenance.run_id(given bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM maintenance.run_log WHERE logged_at < now() - interval '30 days';
    RETURN coalesce(given, nextval('maintenance.run_ids'));
END
$$;
