-- The re-partitioning scenarios' building blocks (schema lab), shared by the files of sql/repartition. Needs
-- sql/base/00_lab_functions.sql and sql/online/install.sql. Safe to run again: every function is created or replaced.
--
-- The scenarios change app.event_logs (by month, 2024_01..2024_03 and a DEFAULT) through the online discipline of
-- sql/online: add, split and cleanup are each one online swap (old partitions replaced by new ones: staged while
-- readers and writers go on, then a short window that catches up with the changes and swaps catalog-only, then
-- verified against the old data, kept until then); detach is a catalog-only DETACH in a window of its own, then an
-- archive copy of the detached (no longer written) table. Every lock is taken under online.lock_relations
-- (lock_timeout, retries within a budget, give up naming the session in the way). The swap itself, the capture, the
-- verification and the revert are the engine's (sql/online); this file only says what each scenario replaces.
-- Parameters travel as arguments; identifiers through format('%I')/regclass, values through %L.

-- Helpers of the earlier design, which did the copy, the top-up and the checks inside the exclusive lock: the online
-- engine does that work now, outside it. Dropped so that nothing calls them by mistake.
SET client_min_messages = warning;
DROP FUNCTION IF EXISTS lab.fail_point(text), lab.quoted_name(text), lab.range_key(regclass), lab.range_condition(regclass, text, text),
    lab.column_list(regclass, text), lab.range_leaves(regclass), lab.key_le(regclass, text, text),
    lab.range_source(regclass, text, text, regclass), lab.rows_fingerprint(text, regclass),
    lab.stage_partition(regclass, text, text, text, regclass),
    lab.swap_range(regclass, text, text, text[], text[], text[], regclass), lab.extra_event_partitions(),
    lab.staged_event_tables(), lab.require_free_or_staged(text), lab.archive_month(text), lab.detach_month(text),
    lab.cleanup_layout(), lab.sync_users_by_date(), lab.try_create_partition(text);
RESET client_min_messages;

-- A parameter of a scenario file: the custom setting when given (SET lab.month = '2024-05'), else the default.
CREATE OR REPLACE FUNCTION lab.setting_or(setting_name text, fallback text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(nullif(current_setting(setting_name, true), ''), fallback)
$$;

-- A month of app.event_logs: 'YYYY-MM' gives its partition's name and bounds (UTC months, as the lessons use).
CREATE OR REPLACE FUNCTION lab.event_month(month text, OUT partition_name text, OUT lower_bound text, OUT upper_bound text)
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF month IS NULL OR month !~ '^\d{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION '''%'' is not a month: use YYYY-MM, e.g. 2024-04', month USING ERRCODE = 'invalid_parameter_value';
    END IF;
    partition_name := 'app.event_logs_' || replace(month, '-', '_');
    lower_bound := month || '-01 00:00:00+00';
    upper_bound := to_char(to_date(month, 'YYYY-MM') + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
END
$$;

-- The weeks a month partition splits into: 7 days each from the 1st (days 1-7, 8-14, 15-21), and a last one
-- from the 22nd to the end of the month, which takes the partial week (7 to 10 days: 8 in February 2024).
CREATE OR REPLACE FUNCTION lab.month_weeks(month text)
RETURNS TABLE (week int, partition_name text, lower_bound text, upper_bound text, days int)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT w, m.partition_name || '_w' || w,
           to_char(to_date(month, 'YYYY-MM') + (w - 1) * 7, 'YYYY-MM-DD') || ' 00:00:00+00',
           CASE WHEN w < 4 THEN to_char(to_date(month, 'YYYY-MM') + w * 7, 'YYYY-MM-DD') || ' 00:00:00+00' ELSE m.upper_bound END,
           CASE WHEN w < 4 THEN 7 ELSE (to_date(m.upper_bound, 'YYYY-MM-DD') - (to_date(month, 'YYYY-MM') + 21)) END
    FROM lab.event_month(month) AS m, generate_series(1, 4) AS w
$$;

-- The months of the original layout (sql/migrate/range_event_logs.sql), which cleanup returns to.
CREATE OR REPLACE FUNCTION lab.original_months()
RETURNS TABLE (month text, partition_name text, lower_bound text, upper_bound text)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT month, m.partition_name, m.lower_bound, m.upper_bound
    FROM unnest(ARRAY['2024-01', '2024-02', '2024-03']) AS month, lab.event_month(month) AS m
$$;

-- app.event_logs must exist and be partitioned by range (the range lesson, or Migration.RANGE, builds it).
CREATE OR REPLACE FUNCTION lab.require_event_logs() RETURNS regclass
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regclass('app.event_logs') IS NULL OR (online.range_key('app.event_logs')).key_name IS NULL THEN
        RAISE EXCEPTION 'app.event_logs is missing or not partitioned by range: run the range lesson (or sql/migrate/range_event_logs.sql) first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN 'app.event_logs'::regclass;
END
$$;

-- The partitions of app.event_logs (not the DEFAULT) with their bounds as values, and whether each is exactly a month.
CREATE OR REPLACE FUNCTION lab.event_leaves()
RETURNS TABLE (leaf regclass, leaf_name text, lower_bound text, upper_bound text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf, l.leaf_name, online.unquoted(l.lower_bound), online.unquoted(l.upper_bound)
    FROM online.range_leaves('app.event_logs') AS l
    WHERE NOT l.is_default
$$;

-- The partition of app.event_logs that has exactly this name and these bounds, or NULL.
CREATE OR REPLACE FUNCTION lab.event_partition(wanted_name text, from_value text, to_value text) RETURNS regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf FROM lab.event_leaves() AS l
    WHERE l.leaf_name = wanted_name
      AND l.lower_bound::timestamptz = from_value::timestamptz AND l.upper_bound::timestamptz = to_value::timestamptz
$$;

-- Partitions of app.event_logs (not the DEFAULT) that share any time with [from_value, to_value).
CREATE OR REPLACE FUNCTION lab.event_partitions_within(from_value text, to_value text) RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf FROM lab.event_leaves() AS l
    WHERE online.ranges_overlap('app.event_logs', l.lower_bound, l.upper_bound, from_value, to_value)
$$;

CREATE OR REPLACE FUNCTION lab.count_where(rel regclass, condition text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF rel IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s AS t WHERE %s', rel, condition) INTO n;
    RETURN n;
END
$$;

-- The label of a scenario's swap (online.swaps.label): 'add 2024-04', 'split 2024-02', 'cleanup'.
CREATE OR REPLACE FUNCTION lab.swap_label(scenario text, month text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT scenario || coalesce(' ' || month, '')
$$;

-- The swap of app.event_logs with this label that began and did not end (staging, swapped or verified), or NULL.
CREATE OR REPLACE FUNCTION lab.swap_under_way(label text) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT w.swap_id FROM online.swaps w
    WHERE w.parent = to_regclass('app.event_logs') AND w.label = swap_under_way.label AND w.state IN ('staging', 'swapped', 'verified')
    ORDER BY w.swap_id DESC LIMIT 1
$$;

-- A scenario may not start while another one's swap of app.event_logs is half way: refused (22023), naming it.
CREATE OR REPLACE FUNCTION lab.require_no_other_swap(label text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    other online.swaps;
BEGIN
    SELECT * INTO other FROM online.swaps w
    WHERE w.parent = to_regclass('app.event_logs') AND w.label <> require_no_other_swap.label AND w.state IN ('staging', 'swapped', 'verified')
    ORDER BY w.swap_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% is half way (swap %, %): run it again to finish it, or give it up with SELECT online.abort_swap(%) while it is staging',
            other.label, other.swap_id, other.state, other.swap_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- Where the rows of a detach wait between its two steps: the partition, detached and renamed <name>_detached.
CREATE OR REPLACE FUNCTION lab.detached_name(month text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (lab.event_month(month)).partition_name || '_detached'
$$;

-- Tables a detach took out of app.event_logs and has not archived yet (it stopped half way): their rows are nowhere else.
CREATE OR REPLACE FUNCTION lab.detached_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass FROM pg_class c
    WHERE c.relkind = 'r' AND NOT c.relispartition
      AND obj_description(c.oid, 'pg_class') LIKE 'Partition Lab: detached from app.event_logs %, not archived yet'
    ORDER BY c.relname
$$;

-- Tables the scenarios keep events in beside app.event_logs: the archive, and months a detach left half way.
CREATE OR REPLACE FUNCTION lab.tables_aside() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT r FROM (SELECT to_regclass('app.event_logs_archive') AS r UNION ALL SELECT lab.detached_tables()) AS c WHERE r IS NOT NULL
$$;

-- Rows of a table (with the columns of app.event_logs) whose key is not in app.event_logs: what a restore must bring back.
CREATE OR REPLACE FUNCTION lab.rows_missing_from_event_logs(source regclass, condition text DEFAULT 'true') RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF source IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s AS t WHERE %s AND NOT EXISTS (SELECT 1 FROM app.event_logs AS p WHERE (%s) = (%s))',
                   source, condition, online.key_list('app.event_logs', 'p'), online.key_list('app.event_logs', 't'))
        INTO n;
    RETURN n;
END
$$;

-- What a scenario's swap replaces, checked: the old partitions (by name), the new ones (names and bounds; a NULL
-- pair is the DEFAULT), and tables rows also come from (sources). No row: nothing to swap (it ran before).
-- A missing precondition raises SQLSTATE 22023 before anything changes.
--   add     (month): the DEFAULT, which holds the month's rows, replaced by the month and a new DEFAULT;
--   split   (month): the month replaced by its four weeks; the DEFAULT stays;
--   cleanup:        every partition outside the original months and every original month that must take rows in,
--                   by the original months; the DEFAULT too when rows must leave or enter it; rows also from the
--                   archive and from tables a detach left half way.
CREATE OR REPLACE FUNCTION lab.swap_args(scenario text, month text)
RETURNS TABLE (label text, old_leaves text[], new_names text[], new_lowers text[], new_uppers text[], sources text[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent       regclass := lab.require_event_logs();
    default_leaf regclass := online.default_partition(parent);
    m            record;
    taken        text;
    weeks        record;
    extras       record;
    originals    record;
    gaps         record;
    present      boolean;
    olds         text[] := '{}';
    names        text[] := '{}';
    lowers       text[] := '{}';
    uppers       text[] := '{}';
    srcs         text[] := '{}';
    replace_default boolean;
BEGIN
    label := lab.swap_label(scenario, month);
    PERFORM lab.require_no_other_swap(label);
    IF scenario = 'add' THEN
        m := lab.event_month(month);
        IF lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NOT NULL THEN
            RETURN; -- added before
        END IF;
        SELECT string_agg(l::text, ', ') INTO taken FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l;
        IF taken IS NOT NULL THEN
            RAISE EXCEPTION '% is already covered by partition %: nothing to add', month, taken USING ERRCODE = 'invalid_parameter_value';
        ELSIF default_leaf IS NULL THEN
            RAISE EXCEPTION 'app.event_logs has no DEFAULT partition: a month of it can be created and attached as it is, with no rows to move'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN QUERY SELECT label, ARRAY[default_leaf::text], ARRAY[m.partition_name, default_leaf::text],
                            ARRAY[m.lower_bound, NULL], ARRAY[m.upper_bound, NULL], '{}'::text[];
    ELSIF scenario = 'split' THEN
        m := lab.event_month(month);
        SELECT array_agg(w.partition_name ORDER BY w.week) AS names, array_agg(w.lower_bound ORDER BY w.week) AS lowers,
               array_agg(w.upper_bound ORDER BY w.week) AS uppers,
               count(*) FILTER (WHERE lab.event_partition(w.partition_name, w.lower_bound, w.upper_bound) IS NOT NULL) AS present
        INTO weeks FROM lab.month_weeks(month) AS w;
        IF lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NULL THEN
            IF weeks.present = 4 THEN
                RETURN; -- split before
            END IF;
            RAISE EXCEPTION 'no partition % of app.event_logs to split (the month''s rows are in %)', m.partition_name,
                coalesce((SELECT string_agg(l::text, ', ') FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l), 'the DEFAULT')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        RETURN QUERY SELECT label, ARRAY[m.partition_name], weeks.names, weeks.lowers, weeks.uppers, '{}'::text[];
    ELSIF scenario = 'cleanup' THEN
        IF default_leaf IS NULL THEN
            RAISE EXCEPTION 'app.event_logs has no DEFAULT partition: cleanup returns to a layout with one; attach one first'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- rows to bring back: the archive's and those of tables a detach left half way, where app.event_logs lacks them
        SELECT coalesce(array_agg(s::text ORDER BY s::text), '{}') INTO srcs
        FROM lab.tables_aside() AS s WHERE lab.rows_missing_from_event_logs(s) > 0;
        SELECT array_agg(o.lower_bound ORDER BY o.month) AS lowers, array_agg(o.upper_bound ORDER BY o.month) AS uppers
        INTO originals FROM lab.original_months() AS o;
        SELECT array_agg(o.lower_bound ORDER BY o.month) AS lowers, array_agg(o.upper_bound ORDER BY o.month) AS uppers
        INTO gaps FROM lab.original_months() AS o WHERE lab.event_partition(o.partition_name, o.lower_bound, o.upper_bound) IS NULL;
        -- partitions that are not an original month (weeks, April, ...)
        SELECT coalesce(array_agg(e.leaf_name ORDER BY e.lower_bound::timestamptz), '{}') AS names,
               array_agg(e.lower_bound ORDER BY e.lower_bound::timestamptz) AS lowers,
               array_agg(e.upper_bound ORDER BY e.lower_bound::timestamptz) AS uppers
        INTO extras
        FROM lab.event_leaves() AS e
        WHERE NOT EXISTS (SELECT FROM lab.original_months() AS o WHERE lab.event_partition(o.partition_name, o.lower_bound, o.upper_bound) = e.leaf);
        -- the DEFAULT is replaced when rows must leave it (a missing month the other partitions do not cover, rows to
        -- bring back outside the original months) or enter it (a partition reaching outside the original months)
        replace_default := NOT online.ranges_cover(parent, extras.lowers, extras.uppers, gaps.lowers, gaps.uppers)
                           OR NOT online.ranges_cover(parent, originals.lowers, originals.uppers, extras.lowers, extras.uppers)
                           OR EXISTS (SELECT FROM unnest(srcs) AS s
                                      WHERE lab.rows_missing_from_event_logs(to_regclass(s),
                                                'NOT ' || online.ranges_condition(parent, originals.lowers, originals.uppers, 't')) > 0);
        olds := extras.names;
        FOR m IN SELECT * FROM lab.original_months() AS o ORDER BY o.month LOOP
            present := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NOT NULL;
            IF NOT present OR EXISTS (SELECT FROM unnest(srcs) AS s
                                      WHERE lab.rows_missing_from_event_logs(to_regclass(s),
                                                online.bound_condition(parent, m.lower_bound, m.upper_bound, 't')) > 0) THEN
                IF present THEN
                    olds := olds || m.partition_name; -- there, but rows of it come back: replaced by itself with them
                END IF;
                names := names || m.partition_name;
                lowers := lowers || m.lower_bound;
                uppers := uppers || m.upper_bound;
            END IF;
        END LOOP;
        IF replace_default THEN
            olds := olds || default_leaf::text;
            names := names || default_leaf::text;
            lowers := lowers || NULL::text;
            uppers := uppers || NULL::text;
        END IF;
        IF cardinality(olds) = 0 AND cardinality(names) = 0 THEN
            RETURN; -- the original partitions, with every row: nothing to swap
        END IF;
        RETURN QUERY SELECT label, olds, names, lowers, uppers, srcs;
    ELSE
        RAISE EXCEPTION 'no swap for scenario ''%'': add, split and cleanup swap partitions', scenario USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- Step 1 of a swap scenario (psql: CALL it outside a transaction block): begins the scenario's online swap, or continues
-- the one under way, then stages it in batches, each committed on its own (online.stage). Does nothing when there is
-- nothing to swap.
CREATE OR REPLACE PROCEDURE lab.stage_swap(scenario text, month text)
LANGUAGE plpgsql AS $$
DECLARE
    id bigint := lab.swap_under_way(lab.swap_label(scenario, month));
    a  record;
BEGIN
    IF id IS NULL THEN
        SELECT * INTO a FROM lab.swap_args(scenario, month);
        IF NOT FOUND THEN
            RAISE NOTICE '%: nothing to swap', lab.swap_label(scenario, month);
            RETURN;
        END IF;
        id := online.begin_swap('app.event_logs', a.label, a.old_leaves, a.new_names, a.new_lowers, a.new_uppers, a.sources);
        COMMIT;
    END IF;
    CALL online.stage(id);
END
$$;

-- Step 2 of a swap scenario: the window of its swap (online.swap_window). No row: no swap under way, or swapped before.
CREATE OR REPLACE FUNCTION lab.swap_window(scenario text, month text)
RETURNS TABLE (swap_id bigint, detached text, attached text, window_rows bigint, lock_attempts integer, window_ms double precision)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    id bigint := lab.swap_under_way(lab.swap_label(scenario, month));
BEGIN
    IF id IS NOT NULL THEN
        RETURN QUERY SELECT * FROM online.swap_window(id);
    END IF;
END
$$;

-- Step 3 of a swap scenario (psql: CALL it outside a transaction block): verification, then finish, or revert when the
-- rows differ (online.settle_swap).
CREATE OR REPLACE PROCEDURE lab.settle_swap(scenario text, month text)
LANGUAGE plpgsql AS $$
DECLARE
    id bigint := lab.swap_under_way(lab.swap_label(scenario, month));
BEGIN
    IF id IS NOT NULL THEN
        CALL online.settle_swap(id);
    END IF;
END
$$;

-- What the last swap of a scenario did, as online.swaps records it: its state, the rows staged, the window (rows it
-- wrote: the changes captured meanwhile; lock attempts; length) and the verification (count and checksum of the old
-- partitions and of the new ones at the window).
CREATE OR REPLACE FUNCTION lab.swap_record(scenario text, month text)
RETURNS TABLE (swap_id bigint, state text, rows_staged bigint, window_rows bigint, window_attempts integer, window_ms double precision,
               moved_range text, rows_before bigint, checksum_before text, rows_after bigint, checksum_after text, detached text, attached text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT w.swap_id, w.state, w.rows_staged, w.window_rows, w.window_attempts, w.window_ms, w.label, w.rows_before,
           w.checksum_before::text, w.rows_after, w.checksum_after::text, array_to_string(w.old_leaves, ', '), array_to_string(w.new_names, ', ')
    FROM online.swaps w
    WHERE w.parent = to_regclass('app.event_logs') AND w.label = lab.swap_label(scenario, month)
    ORDER BY w.swap_id DESC LIMIT 1
$$;

-- Detach, step 1: the window. Under the lock discipline, ACCESS EXCLUSIVE on app.event_logs, its DEFAULT and the month
-- (what DETACH takes; DETACH ... CONCURRENTLY would take less, but PostgreSQL refuses it while a DEFAULT partition
-- exists, and it cannot run in a transaction block), then, catalog only, DETACH and a rename to <name>_detached:
-- no row is read or written. Rows of the month written afterwards go to the DEFAULT. No row: nothing to detach.
CREATE OR REPLACE FUNCTION lab.detach_window(month text)
RETURNS TABLE (detached text, kept_as text, window_rows bigint, lock_attempts integer, window_ms double precision)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m            record := lab.event_month(month);
    parent       regclass := lab.require_event_logs();
    leaf         regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    default_leaf regclass := online.default_partition(parent);
    kept         text := lab.detached_name(month);
    attempts     integer;
    locked_at    timestamptz;
BEGIN
    IF leaf IS NULL THEN
        RETURN;
    END IF;
    attempts := online.lock_relations(array_remove(ARRAY[parent, default_leaf, leaf], NULL),
                                      array_fill('ACCESS EXCLUSIVE'::text, ARRAY[CASE WHEN default_leaf IS NULL THEN 2 ELSE 3 END]),
                                      format('detach %s from %s', leaf, parent));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('detach %s', leaf));
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, leaf);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', leaf, (parse_ident(kept))[2]);
    EXECUTE format('COMMENT ON TABLE %s IS %L', leaf,
                   format('Partition Lab: detached from app.event_logs by detach %s (FOR VALUES FROM (%L) TO (%L)), not archived yet',
                          month, m.lower_bound, m.upper_bound));
    IF online.fail_point('window') THEN
        RAISE EXCEPTION 'failure injected in the window of detach % (online.fail_at): it rolls back, nothing changed', month;
    END IF;
    PERFORM online.hold_window();
    RETURN QUERY SELECT m.partition_name, kept, 0::bigint, attempts, (extract(epoch FROM clock_timestamp() - locked_at) * 1000)::float8;
END
$$;

-- The archive: the columns of app.event_logs, when and why each row was archived. Created when missing.
CREATE OR REPLACE FUNCTION lab.ensure_archive() RETURNS regclass
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regclass('app.event_logs_archive') IS NULL THEN
        CREATE TABLE app.event_logs_archive (
            LIKE app.event_logs,
            archived_at    timestamptz NOT NULL DEFAULT now(),
            archive_reason text        NOT NULL,
            PRIMARY KEY (id, created_at)
        );
        COMMENT ON TABLE app.event_logs_archive IS 'Partition Lab: rows of detached app.event_logs partitions (cleanup restores them)';
    END IF;
    RETURN 'app.event_logs_archive'::regclass;
END
$$;

-- Detach, step 2, one transaction: the detached month (no one writes it any more) copied into app.event_logs_archive,
-- proven there (every row of it, identical: count and checksum), then dropped. Locks only the detached table (ACCESS
-- SHARE to copy, ACCESS EXCLUSIVE under the discipline to drop; it is nobody else's now) and the archive. Rerun after
-- a failure, it finishes the detach. One row, the proof; no row: nothing detached waits for its archive.
CREATE OR REPLACE FUNCTION lab.archive_detached(month text)
RETURNS TABLE (moved_range text, rows_before bigint, checksum_before text, rows_after bigint, checksum_after text, detached text, attached text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m        record := lab.event_month(month);
    source   regclass := to_regclass(lab.detached_name(month));
    archive  regclass;
    cols     text := online.column_list('app.event_logs', '');
    before_fp record;
    after_fp  record;
BEGIN
    IF source IS NULL THEN
        RETURN;
    END IF;
    archive := lab.ensure_archive();
    EXECUTE format('INSERT INTO %s (%s, archived_at, archive_reason) SELECT %s, now(), %L FROM %s AS t ON CONFLICT DO NOTHING',
                   archive, cols, online.column_list('app.event_logs', 't'),
                   format('detached with partition %s (FOR VALUES FROM (%L) TO (%L))', m.partition_name, m.lower_bound, m.upper_bound), source);
    before_fp := online.fingerprint(format('SELECT %s FROM %s AS t', online.column_list('app.event_logs', 't'), source));
    after_fp := online.fingerprint(format('SELECT %s FROM %s AS a JOIN %s AS t ON (%s) = (%s)', online.column_list('app.event_logs', 'a'),
                                          archive, source, online.key_list('app.event_logs', 'a'), online.key_list('app.event_logs', 't')));
    IF (before_fp.row_count, before_fp.row_checksum) IS DISTINCT FROM (after_fp.row_count, after_fp.row_checksum) THEN
        RAISE EXCEPTION 'app.event_logs_archive lacks rows of % (% rows, % archived identically): rolled back, % kept', source,
            before_fp.row_count, after_fp.row_count, source;
    END IF;
    PERFORM online.lock_relations(ARRAY[source], ARRAY['ACCESS EXCLUSIVE'], format('drop %s', source));
    EXECUTE format('DROP TABLE %s', source);
    IF online.fail_point('archive') THEN
        RAISE EXCEPTION 'failure injected in the archive step of detach % (online.fail_at): it rolls back, % stays detached', month, source;
    END IF;
    RETURN QUERY SELECT format('%s .. %s', m.lower_bound, m.upper_bound), before_fp.row_count, before_fp.row_checksum::text,
                        after_fp.row_count, after_fp.row_checksum::text, m.partition_name, archive::text;
END
$$;

-- Migrate, in the caller's transaction (REPEATABLE READ: one snapshot of app.users_distributed): app.users_by_date,
-- RANGE-partitioned by quarter on registration_date (a partition per quarter the users span; no DEFAULT), made to hold
-- exactly the users of app.users_distributed: created when missing, partitions added for new quarters (CREATE ...
-- PARTITION OF takes ACCESS EXCLUSIVE on app.users_by_date: under the lock discipline once it exists), users it lacks
-- copied, users changed or gone removed. app.users_distributed is only read (ACCESS SHARE: its readers and writers
-- go on). One row: the users' count and checksum in both tables.
CREATE OR REPLACE FUNCTION lab.sync_users_by_date()
RETURNS TABLE (moved_range text, rows_before bigint, checksum_before text, rows_after bigint, checksum_after text, detached text, attached text,
               rows_copied bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    quarter date;
    missing date[];
    created boolean := false;
    copied  bigint;
    users_fp record;
    by_date_fp record;
BEGIN
    IF to_regclass('app.users_distributed') IS NULL THEN
        RAISE EXCEPTION 'app.users_distributed is missing: run the hash lesson (or sql/migrate/hash_users_distributed.sql) first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF to_regclass('app.users_by_date') IS NULL THEN
        -- The primary key must include the partition key, so (id) alone is refused: (id, registration_date).
        CREATE TABLE app.users_by_date (
            id                bigint  NOT NULL,
            username          text    NOT NULL,
            email             text    NOT NULL,
            country_code      char(2) NOT NULL,
            registration_date date    NOT NULL,
            PRIMARY KEY (id, registration_date)
        ) PARTITION BY RANGE (registration_date);
        CREATE INDEX users_by_date_country_code_idx ON app.users_by_date (country_code);
        COMMENT ON TABLE app.users_by_date IS 'Partition Lab: app.users_distributed again, partitioned by quarter of registration_date (kept for comparison)';
        created := true;
    END IF;
    SELECT array_agg(q ORDER BY q) INTO missing
    FROM (SELECT DISTINCT date_trunc('quarter', registration_date)::date AS q FROM app.users_distributed) AS d
    WHERE to_regclass(format('app.users_by_date_%s_q%s', extract(year FROM q), extract(quarter FROM q))) IS NULL;
    IF cardinality(missing) > 0 THEN
        -- nobody else sees a table created in this transaction; once it exists, its readers must not queue behind us
        IF NOT created THEN
            PERFORM online.lock_relations(ARRAY['app.users_by_date'::regclass], ARRAY['ACCESS EXCLUSIVE'], 'add quarters to app.users_by_date');
        END IF;
        FOREACH quarter IN ARRAY missing LOOP
            EXECUTE format('CREATE TABLE app.%I PARTITION OF app.users_by_date FOR VALUES FROM (%L) TO (%L)',
                           format('users_by_date_%s_q%s', extract(year FROM quarter), extract(quarter FROM quarter)),
                           quarter, (quarter + interval '3 months')::date);
        END LOOP;
    END IF;
    DELETE FROM app.users_by_date AS b
    WHERE NOT EXISTS (SELECT 1 FROM app.users_distributed AS d
                      WHERE (d.id, d.username, d.email, d.country_code, d.registration_date)
                          = (b.id, b.username, b.email, b.country_code, b.registration_date));
    INSERT INTO app.users_by_date (id, username, email, country_code, registration_date)
    SELECT id, username, email, country_code, registration_date FROM app.users_distributed
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS copied = ROW_COUNT;
    users_fp := online.fingerprint('SELECT id, username, email, country_code, registration_date FROM app.users_distributed');
    by_date_fp := online.fingerprint('SELECT id, username, email, country_code, registration_date FROM app.users_by_date');
    IF online.fail_point('copy') THEN
        RAISE EXCEPTION 'failure injected after the copy of migrate (online.fail_at): it rolls back, nothing changed';
    END IF;
    RETURN QUERY SELECT 'all users'::text, users_fp.row_count, users_fp.row_checksum::text, by_date_fp.row_count, by_date_fp.row_checksum::text,
                        'app.users_distributed'::text, 'app.users_by_date'::text, copied;
END
$$;

-- The locks this session holds now on a table and its partitions, as pg_locks shows them: what a step inside a
-- transaction reports about itself (migrate: only ACCESS SHARE on app.users_distributed, a reader's lock).
CREATE OR REPLACE FUNCTION lab.locks_held_on(table_name text) RETURNS TABLE (relation text, mode text, granted boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH RECURSIVE tree AS (SELECT to_regclass(table_name)::oid AS relid
                            UNION ALL
                            SELECT i.inhrelid FROM pg_inherits i JOIN tree t ON i.inhparent = t.relid)
    SELECT l.relation::regclass::text, l.mode, l.granted
    FROM pg_locks l
    WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.relation IN (SELECT relid FROM tree)
    ORDER BY 1, 2
$$;

-- app.users_by_date may go when every user in it is also in app.users_distributed (else refused, 22023): its rows.
CREATE OR REPLACE FUNCTION lab.users_by_date_to_drop() RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    missing bigint := lab.count_where('app.users_by_date', 'NOT EXISTS (SELECT 1 FROM app.users_distributed AS d WHERE d.id = t.id)');
BEGIN
    IF missing > 0 THEN
        RAISE EXCEPTION 'app.users_by_date holds % users missing from app.users_distributed: copy them back or drop it yourself', missing
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN lab.count_where('app.users_by_date', 'true');
END
$$;

-- Cleanup, last step, one transaction: what the scenarios built beside app.event_logs goes, each under the lock
-- discipline (ACCESS EXCLUSIVE on that table only; only these scenarios use them): the archive and the tables a detach
-- left half way, once every row of them has its key in app.event_logs again (the swap of cleanup brought them back
-- and verified them), and app.users_by_date, every user of which is also in app.users_distributed. One row per table.
CREATE OR REPLACE FUNCTION lab.drop_leftovers() RETURNS TABLE (dropped text, row_count bigint, why text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t regclass;
    missing bigint;
BEGIN
    FOR t IN SELECT * FROM lab.tables_aside() LOOP
        missing := lab.rows_missing_from_event_logs(t);
        IF missing > 0 THEN
            RAISE EXCEPTION '% rows of % are not in app.event_logs: not dropping it (run cleanup''s swap first)', missing, t;
        END IF;
        row_count := lab.count_where(t, 'true');
        dropped := t::text;
        why := 'every row of it is back in app.event_logs (key checked)';
        PERFORM online.lock_relations(ARRAY[t], ARRAY['ACCESS EXCLUSIVE'], format('drop %s', t));
        EXECUTE format('DROP TABLE %s', t);
        RETURN NEXT;
    END LOOP;
    IF to_regclass('app.users_by_date') IS NOT NULL THEN
        row_count := lab.users_by_date_to_drop();
        PERFORM online.lock_relations(ARRAY['app.users_by_date'::regclass], ARRAY['ACCESS EXCLUSIVE'], 'drop app.users_by_date');
        DROP TABLE app.users_by_date;
        dropped := 'app.users_by_date';
        why := 'every one of its users is also in app.users_distributed';
        RETURN NEXT;
    END IF;
    IF online.fail_point('drop') THEN
        RAISE EXCEPTION 'failure injected in the last step of cleanup (online.fail_at): it rolls back, nothing dropped';
    END IF;
END
$$;

-- The naive way to add a month: CREATE TABLE ... PARTITION OF, tried and always rolled back, under the lock
-- discipline (so that even this never queues readers behind a long query). It holds ACCESS EXCLUSIVE on app.event_logs
-- and its DEFAULT while PostgreSQL scans the DEFAULT for rows of the month: refused (23514) at the first one found;
-- with none, the whole DEFAULT is read before it would succeed. That scan, under those locks, is the trap. One row:
-- whether it was refused, why, the lock attempts, how long the locks were held, and the DEFAULT's rows.
CREATE OR REPLACE FUNCTION lab.try_create_partition(month text)
RETURNS TABLE (refused boolean, sql_state text, message text, lock_attempts integer, window_ms double precision, default_rows bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m            record := lab.event_month(month);
    parent       regclass := lab.require_event_logs();
    default_leaf regclass := online.default_partition(parent);
    attempts     integer;
    locked_at    timestamptz;
BEGIN
    default_rows := lab.count_where(default_leaf, 'true');
    attempts := online.lock_relations(array_remove(ARRAY[parent, default_leaf], NULL),
                                      array_fill('ACCESS EXCLUSIVE'::text, ARRAY[CASE WHEN default_leaf IS NULL THEN 1 ELSE 2 END]),
                                      format('naive CREATE TABLE %s PARTITION OF %s', m.partition_name, parent));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('naive create %s', m.partition_name));
    BEGIN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', (parse_ident(m.partition_name))[1],
                       (parse_ident(m.partition_name))[2], parent, m.lower_bound, m.upper_bound);
        RAISE EXCEPTION 'lab: undo the trial CREATE' USING ERRCODE = 'LAB01';
    EXCEPTION
        WHEN SQLSTATE 'LAB01' THEN
            refused := false; sql_state := NULL;
            message := format('CREATE TABLE %s PARTITION OF app.event_logs would succeed (tried and rolled back)', m.partition_name);
        WHEN OTHERS THEN
            refused := true; sql_state := SQLSTATE; message := SQLERRM;
    END;
    lock_attempts := attempts;
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
    RETURN NEXT;
END
$$;

-- Count and checksum of every event wherever the scenarios keep it: app.event_logs, the archive, and tables a detach
-- left half way; a row in two of them (restored, not yet dropped from the archive) counts once.
CREATE OR REPLACE FUNCTION lab.event_rows_fingerprint(OUT row_count bigint, OUT row_checksum numeric)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    elsewhere text;
BEGIN
    SELECT string_agg(format('SELECT %s FROM %s AS t', online.column_list('app.event_logs', 't'), r), ' UNION ') INTO elsewhere
    FROM lab.tables_aside() AS r;
    SELECT f.row_count, f.row_checksum INTO row_count, row_checksum
    FROM online.fingerprint(format('SELECT * FROM app.event_logs AS t%s', coalesce(' UNION ' || elsewhere, ''))) AS f;
END
$$;
