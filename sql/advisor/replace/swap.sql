-- The swap record of a table's advisor migration under way (its copy and verification run on it): refused, SQLSTATE
-- 22023, when that step is not the next one.
CREATE OR REPLACE FUNCTION lab.replace_swap(table_name text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM lab.replace_state(table_name);
    IF s.swap_id IS NULL OR s.next_step = 'done' THEN
        RAISE EXCEPTION 'no migration of % under way (%): its begin comes first', s.table_name, s.next_step
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN s.swap_id;
END
$$;
