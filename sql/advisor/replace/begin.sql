-- The capture and the copy of an advisor migration begin: an online swap record (online.swaps, label 'advisor
-- migration of <table>') whose source is the plain table and whose copy is <table>_next, and a capture trigger on the
-- table (CREATE TRIGGER takes SHARE ROW EXCLUSIVE, under the lock discipline: writers wait a moment, readers do not).
-- The copy (online.stage), its catch-up rounds and the verification (online.verify_swap) are the online discipline's
-- own. Begun before: returns the same swap.
CREATE OR REPLACE FUNCTION lab.replace_begin(table_name text) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s   record;
    tbl regclass;
    id  bigint;
BEGIN
    SELECT * INTO s FROM lab.replace_state(table_name);
    IF s.next_step = 'copy' THEN
        RETURN s.swap_id;
    ELSIF s.next_step <> 'begin' OR NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = to_regclass(s.staged) AND contype = 'p') THEN
        RAISE EXCEPTION 'the migration of % cannot begin now (%): %', s.table_name, s.next_step,
            CASE WHEN s.next_step IN ('prepare', 'begin') THEN 'prepare ' || s.staged || ' first' ELSE 'it began before' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    PERFORM online.lock_relations(ARRAY[tbl], ARRAY['SHARE ROW EXCLUSIVE'], format('begin the advisor migration of %s', tbl));
    INSERT INTO online.swaps (parent, label, old_leaves, old_lowers, old_uppers, old_conditions, new_names, staged_names,
                              new_lowers, new_uppers, new_conditions, capture_function, delta)
    VALUES (tbl, 'advisor migration of ' || s.table_name, ARRAY[s.table_name], ARRAY[NULL::text], ARRAY[NULL::text], ARRAY['true'],
            ARRAY[s.table_name], ARRAY[s.staged], ARRAY[NULL::text], ARRAY[NULL::text], ARRAY['true'], 'pending', 'pending')
    RETURNING swap_id INTO id;
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()',
                   format('online_capture_%s', id), tbl, online.create_capture(id));
    RETURN id;
END
$$;
