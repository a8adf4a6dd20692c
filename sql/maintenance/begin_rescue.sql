-- Rescuing rows that wait in a managed table's DEFAULT partition, step 1: begins one online swap (sql/online) that
-- replaces the DEFAULT by a partition for each month given and a new DEFAULT for everything else. The rest is the
-- swap's own steps (OnlineSwap.complete in Java; online.stage, swap_window, verify_swap, finish_swap from a
-- procedure: make_months): the rows are copied in batches while readers and writers go on, and a trigger captures
-- what writers change meanwhile; the window (ACCESS EXCLUSIVE on the parent and the DEFAULT: readers and writers
-- wait for it) catches up with those changes, the delta, and swaps the tables by catalog changes that CHECKs prove,
-- without a scan; then count and checksum compare the old DEFAULT, kept until then, with the new partitions.
-- Returns the swap's id and the lock discipline all its steps use: the session's settings when given, else the
-- table's (set here for this transaction, for the swap's first locks). A rescue left unfinished (a crash, a lock not
-- got) is continued, for the months it was begun with. Refusals (no DEFAULT, a month that has its partition, no
-- primary key to follow rows by) are SQLSTATE 22023.
CREATE OR REPLACE FUNCTION maintenance.begin_rescue(table_name text, months date[], OUT swap_id bigint,
                                                    OUT lock_timeout_ms bigint, OUT lock_budget_ms bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config := maintenance.config_for(table_name);
    schema_name  text := (parse_ident(cfg.parent_table))[1];
    default_name text := (SELECT p.partition_name FROM maintenance.partitions(cfg) p WHERE p.is_default);
    ordered      date[] := ARRAY(SELECT DISTINCT date_trunc('month', m)::date FROM unnest(months) AS m ORDER BY 1);
BEGIN
    IF default_name IS NULL THEN
        RAISE EXCEPTION '% has no DEFAULT partition: no rows wait to be rescued', cfg.parent_table USING ERRCODE = 'invalid_parameter_value';
    ELSIF coalesce(cardinality(ordered), 0) = 0 THEN
        RAISE EXCEPTION 'name the months whose rows to rescue from the DEFAULT of %', cfg.parent_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
    lock_timeout_ms := online.setting('lock_timeout_ms', cfg.lock_timeout_ms);
    lock_budget_ms := online.setting('lock_budget_ms', cfg.lock_budget_ms);
    PERFORM set_config('online.lock_timeout_ms', lock_timeout_ms::text, true);
    PERFORM set_config('online.lock_budget_ms', lock_budget_ms::text, true);
    swap_id := online.begin_swap(cfg.parent_table::regclass, 'rescue rows from the DEFAULT', ARRAY[default_name],
        ARRAY(SELECT format('%I.%I', schema_name, maintenance.partition_name(cfg, m)) FROM unnest(ordered) AS m) || default_name,
        ARRAY(SELECT maintenance.bound_value(cfg, m) FROM unnest(ordered) AS m) || NULL::text,
        ARRAY(SELECT maintenance.bound_value(cfg, (m + interval '1 month')::date) FROM unnest(ordered) AS m) || NULL::text);
END
$$;
