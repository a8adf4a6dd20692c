-- One report line (maintenance.action_line), with the exclusive window's numbers when the step had one: the rows
-- it touched, how long it held its locks, and the attempts the locks took (NULL for a step without a window).
CREATE OR REPLACE FUNCTION maintenance.line(parent_table text, action text, partition_name text, rows bigint,
                                            duration_ms double precision, detail text, window_rows bigint DEFAULT NULL,
                                            window_ms double precision DEFAULT NULL, lock_attempts integer DEFAULT NULL)
RETURNS maintenance.action_line LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT ROW(parent_table, action, partition_name, rows, duration_ms, detail, window_rows, window_ms, lock_attempts)::maintenance.action_line
$$;
