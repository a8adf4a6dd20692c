-- Creates a managed table's partitions for the months given, without CREATE TABLE ... PARTITION OF on the live
-- table (that takes ACCESS EXCLUSIVE on it: every reader and writer waits, and queues behind whatever the request
-- itself waits for). Instead, in one transaction:
--   1. each month's table is created standalone, like the parent (columns, defaults, generated columns, CHECKs,
--      indexes): the parent is only read (ACCESS SHARE), nobody waits;
--   2. one exclusive window, under the lock discipline (maintenance.lock_relations), ATTACHes them all. It takes
--      SHARE ROW EXCLUSIVE on the parent when there is a DEFAULT partition: writers wait for the window, so that no
--      insert of a new month racing the ATTACH fails; readers go on. Without a DEFAULT, SHARE UPDATE EXCLUSIVE:
--      readers and writers go on. And ACCESS EXCLUSIVE on the DEFAULT, which ATTACH takes: whoever reads or writes
--      the DEFAULT waits (a query partition pruning keeps away from the DEFAULT does not).
-- ATTACH scans the DEFAULT to prove that none of its rows belongs to the new month: the window reads every row the
-- DEFAULT holds, once per month attached (window_rows). An empty DEFAULT, which the manager keeps by rescuing rows
-- out of it, is what keeps the window as short as a catalog change.
-- Months that have their partition are left alone; a month month_steps says cannot be created, or whose rows wait in
-- the DEFAULT (they are rescued, not created: begin_rescue), or whose rows arrive there before the window, is
-- skipped with the reason. One line per month created or skipped, with the window's rows, length and lock attempts.
CREATE OR REPLACE FUNCTION maintenance.create_months(table_name text, months date[])
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config := maintenance.config_for(table_name);
    parent       regclass := cfg.parent_table::regclass;
    default_part regclass;
    s            record;
    planned      date[] := '{}';       -- the months to create, with their partitions' names and plans
    names        text[] := '{}';
    plans        text[] := '{}';
    created      boolean[] := '{}';
    spent        double precision[] := '{}';  -- each month's milliseconds: its CREATE, then its ATTACH
    scanned      bigint[] := '{}';
    started      timestamptz;
    locked_at    timestamptz;
    window_ms    double precision;
    attempts     integer;
    before_scan  bigint;
    i            integer;
BEGIN
    FOR s IN SELECT * FROM maintenance.month_steps(cfg, current_date, months) ms ORDER BY ms.month LOOP
        IF s.step = 'create' THEN
            planned := planned || s.month;
            names := names || s.partition_name;
            plans := plans || s.detail;
        ELSE
            RETURN NEXT maintenance.line(cfg.parent_table, 'skip', s.partition_name, s.rows, 0,
                                         CASE WHEN s.step = 'rescue' THEN s.detail || ': they are rescued (begin_rescue), not created'
                                              ELSE s.detail END);
        END IF;
    END LOOP;
    IF cardinality(planned) = 0 THEN
        RETURN;
    END IF;
    default_part := online.default_partition(parent);

    -- 1. the tables, standalone: nobody else sees them before the window commits
    PERFORM maintenance.lock_relations(cfg, ARRAY[parent], ARRAY['ACCESS SHARE'], format('create partitions of %s', parent));
    FOR i IN 1 .. cardinality(planned) LOOP
        started := clock_timestamp();
        EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES INCLUDING STORAGE '
                       'INCLUDING GENERATED INCLUDING STATISTICS)', names[i], parent);
        EXECUTE format('COMMENT ON TABLE %s IS %L', names[i], 'created by the Partition Lab partition manager');
        spent := spent || extract(epoch FROM clock_timestamp() - started) * 1000;
    END LOOP;

    -- 2. the window: every ATTACH of the table at once
    IF default_part IS NULL THEN
        attempts := maintenance.lock_relations(cfg, ARRAY[parent], ARRAY['SHARE UPDATE EXCLUSIVE'], format('attach partitions to %s', parent));
    ELSE
        attempts := maintenance.lock_relations(cfg, ARRAY[parent, default_part], ARRAY['SHARE ROW EXCLUSIVE', 'ACCESS EXCLUSIVE'],
                                               format('attach partitions to %s', parent));
    END IF;
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('create %s month(s) of %s', cardinality(planned), parent));
    -- the commit releases the locks without waiting for its WAL to reach the disk: a crash just after it may undo this
    -- step, which the next run does again, but nobody waits for an fsync behind the window
    PERFORM set_config('synchronous_commit', 'off', true);
    FOR i IN 1 .. cardinality(planned) LOOP
        started := clock_timestamp();
        before_scan := coalesce(pg_stat_get_xact_tuples_returned(default_part), 0);
        BEGIN
            EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)', parent, names[i],
                           maintenance.bound_literal(cfg, planned[i]),
                           maintenance.bound_literal(cfg, (planned[i] + interval '1 month')::date));
            created := created || true;
        EXCEPTION WHEN check_violation THEN
            -- a row of the month reached the DEFAULT after month_steps looked: the next run rescues it
            EXECUTE format('DROP TABLE %s', names[i]);
            created := created || false;
        END;
        scanned := scanned || coalesce(pg_stat_get_xact_tuples_returned(default_part), 0) - before_scan;
        spent[i] := spent[i] + extract(epoch FROM clock_timestamp() - started) * 1000;
    END LOOP;
    PERFORM online.hold_window();
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;

    FOR i IN 1 .. cardinality(planned) LOOP
        IF NOT created[i] THEN
            RETURN NEXT maintenance.line(cfg.parent_table, 'skip', names[i], 0, spent[i],
                                         'rows of the month reached the DEFAULT meanwhile: the next run rescues them',
                                         (SELECT sum(x) FROM unnest(scanned) AS x)::bigint, window_ms, attempts);
        ELSE
            RETURN NEXT maintenance.line(cfg.parent_table, 'create', names[i], 0, spent[i],
                                         format('%s, attached%s', plans[i],
                                                CASE WHEN default_part IS NULL THEN ''
                                                     ELSE format(' (its ATTACH scanned %s rows of the DEFAULT)', scanned[i]) END),
                                         (SELECT sum(x) FROM unnest(scanned) AS x)::bigint, window_ms, attempts);
        END IF;
    END LOOP;
END
$$;
