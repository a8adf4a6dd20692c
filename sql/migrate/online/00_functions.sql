-- The online migration of an ordinary table to a table RANGE-partitioned by month on a time column, while the
-- application reads and writes through the same name (the lesson's case: app.event_logs on created_at). Unlike the
-- one-transaction migrations (sql/migrate/*.sql), no lock that blocks readers or writers is held for longer than
-- catalog work or the catch-up of what changed meanwhile; every such lock is taken under the lock discipline
-- (online.lock_relations: lock_timeout, retries, a budget; given up, nothing changed), and every step can run again
-- after a crash: it continues from what the catalogs and online.swaps say. One file per step:
--
--   1_unique_index.sql   the unique index (id, time column), built CONCURRENTLY   readers and writers go on
--   2_parent.sql         the partitioned table, under the name <table>_next      readers and writers go on
--   3_switch.sql         the plain table becomes <table>_old, the DEFAULT partition of the partitioned table, which
--                        takes the name: catalog only                            both wait, milliseconds
--   4_move_begin.sql     the online swap of <table>_old for a partition per month and a new DEFAULT begins: a
--                        capture trigger, the new partitions empty              writers wait a moment
--   5_move_batches.sql   the rows copied in batches, each its own transaction    readers and writers go on
--   6_move_window.sql    the catch-up of the changes, DETACH and ATTACH          both wait: catalog + changes
--   7_verify.sql         count and checksum, old against new at the window       readers and writers go on
--   8_finish.sql         the capture removed; <table>_old kept; statistics      both wait, milliseconds
--
-- plan.sql shows where a table stands and what each step would do, changing nothing. Parameters of the step files:
-- lab.table_name (schema-qualified) and lab.time_column (needed only when the table has several NOT NULL time columns).
-- Needs sql/online/install.sql and sql/base/00_lab_functions.sql. Safe to run again: created or replaced.

-- The column types the migration partitions by month.
CREATE OR REPLACE FUNCTION lab.is_time_type(type_name text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT type_name IN ('timestamp with time zone', 'timestamp without time zone', 'date')
$$;

-- The label of the online swap that moves a migrated table's rows (online.swaps.label).
CREATE OR REPLACE FUNCTION lab.online_migration_label(table_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'online migration of ' || table_name
$$;

-- A month as a bound of the time column's type, in the form pg_get_expr writes it: '2024-01-01 00:00:00+00' for
-- timestamptz (months in UTC, as the whole lab reasons), '2024-01-01 00:00:00' for timestamp, '2024-01-01' for date.
CREATE OR REPLACE FUNCTION lab.month_bound(month date, type_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(month, 'YYYY-MM-DD') || CASE type_name WHEN 'timestamp with time zone' THEN ' 00:00:00+00'
                                                          WHEN 'timestamp without time zone' THEN ' 00:00:00' ELSE '' END
$$;

-- Where the online migration of a table stands, read from the catalogs and online.swaps, with every refusal
-- (SQLSTATE 22023, nothing changed) checked first. next_step is what runs next:
--   index   the unique index (key, time column) is missing, or INVALID (a build that was interrupted)
--   parent  the partitioned table <table>_next is missing
--   switch  both are ready: the plain table can become the DEFAULT partition
--   move    switched: the rows sit in <table>_old, the DEFAULT, for the online swap (begun or not)
--   finish  the swap is finished: <table>_old to tidy, the migration to mark done
--   done    migrated before: nothing to do
-- The time column may be left out when the table has one NOT NULL time column, or once it is partitioned.
CREATE OR REPLACE FUNCTION lab.online_migration_state(target text, partition_by text DEFAULT NULL)
RETURNS TABLE (table_name text, schema_name text, relation text, time_column text, time_type text, key_column text,
               next_step text, unique_index text, index_valid boolean, index_building boolean, staged_parent text,
               kept_table text, swap_id bigint, swap_state text, rows_staged bigint, estimated_rows bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    given      text := nullif(btrim(partition_by), '');
    tbl        regclass := to_regclass(target);
    cls        pg_class;
    qualified  text;
    candidates text[];
    col        record;
    pk_columns text[];
    swap       online.swaps;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'no table %', coalesce(target, '(none given)') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO cls FROM pg_class WHERE oid = tbl;
    schema_name := (SELECT nspname FROM pg_namespace WHERE oid = cls.relnamespace);
    relation := cls.relname;
    qualified := format('%I.%I', schema_name, relation);
    online_migration_state.table_name := qualified;
    staged_parent := format('%I.%I', schema_name, left(relation, 58) || '_next');
    kept_table := format('%I.%I', schema_name, left(relation, 59) || '_old');
    IF cls.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', qualified USING ERRCODE = 'invalid_parameter_value';
    ELSIF cls.relispartition THEN
        RAISE EXCEPTION '% is a partition of %: nothing to do', qualified,
            (SELECT format('%I.%I', n.nspname, c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.inhrelid = tbl) USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF cls.relkind = 'p' THEN
        -- partitioned: by this migration (switched, moving, done), or by something else (nothing to do)
        online_migration_state.time_column := (online.range_key(tbl)).key_name;
        time_type := (online.range_key(tbl)).key_type;
        IF given IS NOT NULL AND given IS DISTINCT FROM online_migration_state.time_column THEN
            RAISE EXCEPTION '% is partitioned on %, not on %', qualified, coalesce(online_migration_state.time_column, 'something else'), given
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        SELECT * INTO swap FROM online.swaps w
        WHERE w.parent = tbl AND w.label = lab.online_migration_label(qualified) AND w.state <> 'aborted'
        ORDER BY w.swap_id DESC LIMIT 1;
        IF swap.swap_id IS NOT NULL THEN
            swap_id := swap.swap_id;
            swap_state := swap.state;
            rows_staged := swap.rows_staged;
            next_step := CASE WHEN swap.state <> 'finished' THEN 'move'
                              WHEN obj_description(tbl, 'pg_class') LIKE 'Partition Lab: partitioned online%' THEN 'done'
                              ELSE 'finish' END;
        ELSIF (SELECT array_agg(leaf_name) FROM online.range_leaves(tbl) WHERE is_default) = ARRAY[kept_table]
              AND (SELECT count(*) FROM online.range_leaves(tbl)) = 1 THEN
            next_step := 'move'; -- switched, the move not begun
        ELSE
            RAISE EXCEPTION '% is partitioned already, and no online migration of it is under way: nothing to do', qualified
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        key_column := (SELECT string_agg(k, ', ') FROM unnest(string_to_array(online.key_list(tbl, ''), ', ')) AS k
                       WHERE k <> quote_ident(online_migration_state.time_column));
        estimated_rows := (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(kept_table));
        RETURN NEXT;
        RETURN;
    END IF;

    -- an ordinary table: every refusal first
    IF EXISTS (SELECT FROM pg_inherits WHERE inhrelid = tbl OR inhparent = tbl) THEN
        RAISE EXCEPTION '% takes part in table inheritance: the online migration moves plain tables only', qualified
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a partitioned table prepared before says which column (a rerun need not repeat it)
    given := coalesce(given, (online.range_key(to_regclass(staged_parent))).key_name);
    IF given IS NULL THEN
        candidates := ARRAY(SELECT a.attname::text FROM pg_attribute a
                            WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
                              AND lab.is_time_type(format_type(a.atttypid, NULL)) ORDER BY a.attnum);
        IF cardinality(candidates) <> 1 THEN
            RAISE EXCEPTION '% has % NOT NULL time columns (timestamptz, timestamp or date)%: name the one to partition by', qualified,
                cardinality(candidates), CASE WHEN cardinality(candidates) > 1 THEN ', ' || array_to_string(candidates, ', ') ELSE '' END
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        given := candidates[1];
    END IF;
    SELECT a.attname::text AS attname, format_type(a.atttypid, NULL) AS type_name, a.attnotnull INTO col
    FROM pg_attribute a WHERE a.attrelid = tbl AND a.attname = given AND a.attnum > 0 AND NOT a.attisdropped;
    IF col.attname IS NULL THEN
        RAISE EXCEPTION '% has no column %', qualified, given USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT lab.is_time_type(col.type_name) THEN
        RAISE EXCEPTION '%.% is %, not a time column (timestamptz, timestamp or date)', qualified, quote_ident(given), col.type_name
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT col.attnotnull THEN
        -- the primary key (key, time column) would SET NOT NULL, a scan of the table under ACCESS EXCLUSIVE
        RAISE EXCEPTION '%.% allows NULL: make it NOT NULL first (CHECK (% IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL, which the validated CHECK spares a scan)',
            qualified, quote_ident(given), quote_ident(given) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    online_migration_state.time_column := col.attname;
    time_type := col.type_name;
    pk_columns := ARRAY(SELECT a.attname::text FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) AS k(attnum)
                        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                        WHERE i.indrelid = tbl AND i.indisprimary);
    IF cardinality(pk_columns) <> 1 OR pk_columns[1] = col.attname THEN
        RAISE EXCEPTION '% needs a primary key of one column other than % (it has %): the partitioned table''s key is (that column, %)',
            qualified, col.attname, coalesce(nullif(array_to_string(pk_columns, ', '), ''), 'none'), col.attname
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    key_column := pk_columns[1];
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = tbl AND attnum > 0 AND NOT attisdropped AND attidentity <> '') THEN
        RAISE EXCEPTION '% has an identity column: the partitioned table would number rows with a sequence of its own (use a sequence default, as bigserial does)',
            qualified USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND (conrelid = tbl OR confrelid = tbl)) THEN
        RAISE EXCEPTION '% has foreign keys to or from it: the online migration does not move them', qualified
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tbl AND NOT tgisinternal) THEN
        RAISE EXCEPTION '% has triggers: the partitioned table would not have them', qualified USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                  WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = tbl AND r.ev_class <> tbl) THEN
        RAISE EXCEPTION 'views read %: after the switch they would go on reading the old table', qualified
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF EXISTS (SELECT FROM pg_index i WHERE i.indrelid = tbl AND i.indisunique AND NOT i.indisprimary
                  AND NOT (SELECT attnum FROM pg_attribute WHERE attrelid = tbl AND attname = col.attname) = ANY (i.indkey::int2[])) THEN
        RAISE EXCEPTION '% has a unique index without %: a partitioned table cannot enforce it', qualified, col.attname
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(kept_table) IS NOT NULL THEN
        RAISE EXCEPTION 'a table % exists already: rename or drop it first', kept_table USING ERRCODE = 'invalid_parameter_value';
    ELSIF to_regclass(staged_parent) IS NOT NULL AND (online.range_key(to_regclass(staged_parent))).key_name IS DISTINCT FROM col.attname THEN
        RAISE EXCEPTION 'a table % exists already and is not partitioned by RANGE on %: rename or drop it first', staged_parent, col.attname
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    unique_index := left(relation || '_' || key_column || '_' || col.attname, 59) || '_key';
    SELECT i.indisvalid INTO index_valid FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    WHERE i.indrelid = tbl AND ic.relname = unique_index;
    index_building := EXISTS (SELECT FROM pg_stat_progress_create_index p
                              WHERE p.relid = tbl AND p.command = 'CREATE INDEX CONCURRENTLY');
    estimated_rows := greatest(cls.reltuples, 0)::bigint;
    next_step := CASE WHEN NOT coalesce(index_valid, false) THEN 'index'
                      WHEN to_regclass(staged_parent) IS NULL THEN 'parent'
                      ELSE 'switch' END;
    RETURN NEXT;
END
$$;

-- The partitions the move creates: one per month from the oldest to the newest row (read from the plain table
-- before the switch, from <table>_old after it), then the new DEFAULT, <table>_default. An empty table gets the
-- DEFAULT only. Once the swap has begun, its own list (online.swaps) is the one that counts.
CREATE OR REPLACE FUNCTION lab.online_migration_months(table_name text, time_column text DEFAULT NULL)
RETURNS TABLE (partition_name text, lower_bound text, upper_bound text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s           record;
    first_month date;
    last_month  date;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name, time_column);
    IF s.swap_id IS NOT NULL THEN
        RETURN QUERY SELECT n, lo, hi FROM online.swaps w, unnest(w.new_names, w.new_lowers, w.new_uppers) AS u(n, lo, hi)
                     WHERE w.swap_id = s.swap_id;
        RETURN;
    END IF;
    EXECUTE format('SELECT date_trunc(''month'', min(%1$I)%3$s)::date, date_trunc(''month'', max(%1$I)%3$s)::date FROM ONLY %2$s',
                   s.time_column, CASE WHEN s.next_step IN ('index', 'parent', 'switch') THEN s.table_name ELSE s.kept_table END,
                   CASE WHEN s.time_type = 'timestamp with time zone' THEN ' AT TIME ZONE ''UTC''' ELSE '' END)
        INTO first_month, last_month;
    RETURN QUERY
        SELECT format('%I.%I', s.schema_name, left(s.relation, 55) || to_char(m, '_YYYY_MM')),
               lab.month_bound(m::date, s.time_type), lab.month_bound((m + interval '1 month')::date, s.time_type)
        FROM generate_series(first_month, last_month, interval '1 month') AS m
        UNION ALL
        SELECT format('%I.%I', s.schema_name, left(s.relation, 55) || '_default'), NULL, NULL;
END
$$;

-- The plan, changing nothing: every step with its file, whether it is done, next or to do, what it does to this
-- table, and what it locks for how long (as pg_locks shows it; the lessons and tests check it).
CREATE OR REPLACE FUNCTION lab.online_migration_plan(table_name text, time_column text DEFAULT NULL)
RETURNS TABLE (step integer, name text, file text, status text, what text, locks text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       record;
    months  text[];
    done    integer;  -- steps done before
    batch   bigint := online.setting('batch_rows');
    rows_of text;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name, time_column);
    months := ARRAY(SELECT partition_name FROM lab.online_migration_months(s.table_name, s.time_column));
    done := CASE s.next_step WHEN 'index' THEN 0 WHEN 'parent' THEN 1 WHEN 'switch' THEN 2
                             WHEN 'move' THEN CASE s.swap_state WHEN 'staging' THEN 4 WHEN 'swapped' THEN 6 WHEN 'verified' THEN 7 ELSE 3 END
                             WHEN 'finish' THEN 7 ELSE 8 END;
    rows_of := format('about %s rows', s.estimated_rows);
    RETURN QUERY
    SELECT p.step, p.name, 'sql/migrate/online/' || p.file,
           CASE WHEN p.step <= done OR (p.step = 1 AND s.index_valid) THEN 'done' WHEN p.step = done + 1 THEN 'next' ELSE 'to do' END,
           p.what, p.locks
    FROM (VALUES
        (1, 'unique index', '1_unique_index.sql',
         format('CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s, %s): reads %s, twice%s', coalesce(s.unique_index, '(done)'), s.table_name,
                s.key_column, s.time_column, rows_of, CASE WHEN s.index_valid = false AND NOT s.index_building
                THEN '; an INVALID one from an interrupted build is dropped CONCURRENTLY first' WHEN s.index_building THEN '; a build is under way: wait for it' ELSE '' END),
         format('SHARE UPDATE EXCLUSIVE on %s for the build: readers and writers go on (only DDL, VACUUM and ANALYZE of it wait); it waits for transactions older than itself', s.table_name)),
        (2, 'partitioned table', '2_parent.sql',
         format('%s PARTITION BY RANGE (%s), PRIMARY KEY (%s, %s), the same indexes, the same defaults (ids from the same sequence)',
                s.staged_parent, s.time_column, s.key_column, s.time_column),
         format('ACCESS SHARE on %s for a moment (its definition is read): readers and writers go on', s.table_name)),
        (3, 'switch', '3_switch.sql',
         format('%s becomes %s, the DEFAULT partition of %s, which takes the name %s: its primary key (%s, %s) from the unique index, indexes renamed, the sequence moved; catalog only, no row read',
                s.table_name, s.kept_table, s.staged_parent, s.table_name, s.key_column, s.time_column),
         format('ACCESS EXCLUSIVE on %s for the switch, milliseconds that do not grow with the table: readers and writers wait that long', s.table_name)),
        (4, 'move: begin', '4_move_begin.sql',
         format('a trigger on %s captures every change; %s new partitions, empty: %s', s.kept_table, cardinality(months),
                CASE WHEN cardinality(months) > 3 THEN months[1] || ' .. ' || months[cardinality(months) - 1] || ', ' || months[cardinality(months)]
                     ELSE array_to_string(months, ', ') END),
         format('SHARE ROW EXCLUSIVE on %s for a moment (CREATE TRIGGER, once the empty partitions exist): writers wait that long, readers go on', s.kept_table)),
        (5, 'move: batches', '5_move_batches.sql',
         format('%s copied from %s in batches of %s rows, each its own transaction; an interrupted run continues after the last batch%s',
                rows_of, s.kept_table, batch, CASE WHEN s.rows_staged > 0 THEN format(' (%s copied so far)', s.rows_staged) ELSE '' END),
         'ACCESS SHARE (a read) on the table: readers and writers go on'),
        (6, 'move: window', '6_move_window.sql',
         format('the changes captured since step 4 caught up with; %s detached, the new partitions attached (their CHECKs prove the bounds: no scan)', s.kept_table),
         format('ACCESS EXCLUSIVE on %s, %s and the new partitions for the window, which grows with the changes, not with the table: readers and writers wait that long', s.table_name, s.kept_table)),
        (7, 'verify', '7_verify.sql',
         format('count and checksum of %s against the new partitions as they were at the window', s.kept_table),
         'ACCESS SHARE (reads): readers and writers go on'),
        (8, 'finish', '8_finish.sql',
         format('the capture removed; %s kept, verified identical, for comparison (drop it when no longer needed); statistics', s.kept_table),
         'ACCESS EXCLUSIVE on the new partitions, one after another (DROP TRIGGER, catalog only), all held until the step commits: their readers and writers wait that long (milliseconds)')
    ) AS p(step, name, file, what, locks)
    ORDER BY p.step;
END
$$;

-- Step 2: the partitioned table, under the temporary name <table>_next, with the final columns and defaults (the
-- id default draws from the table's own sequence), PRIMARY KEY (key, time column) and the table's other indexes
-- (their names with _next, until the switch). One short transaction; reading the table's definition takes ACCESS
-- SHARE on it, under the lock discipline: readers and writers go on. Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.online_migration_prepare(table_name text, time_column text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s       record;
    tbl     regclass;
    pk_name text;
    idx     record;
    made    integer := 0;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name, time_column);
    IF to_regclass(s.staged_parent) IS NOT NULL OR s.next_step NOT IN ('index', 'parent', 'switch') THEN
        RETURN format('%s: the partitioned table was prepared before, nothing to do', s.table_name);
    END IF;
    tbl := to_regclass(s.table_name);
    PERFORM online.lock_relations(ARRAY[tbl], ARRAY['ACCESS SHARE'], format('prepare the partitioned table for %s', tbl));
    pk_name := (SELECT conname FROM pg_constraint WHERE conrelid = tbl AND contype = 'p');
    EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE '
                   'INCLUDING COMPRESSION INCLUDING COMMENTS) PARTITION BY RANGE (%I)', s.staged_parent, tbl, s.time_column);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY (%I, %I)', s.staged_parent,
                   lab.suffixed_index_name(pk_name, s.relation, '_next'), s.key_column, s.time_column);
    FOR idx IN SELECT ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid) AS definition
               FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               WHERE i.indrelid = tbl AND NOT i.indisprimary AND i.indisvalid AND ic.relname <> s.unique_index
               ORDER BY ic.relname LOOP
        -- the definition from USING on (method, columns or expressions, INCLUDE, WITH, WHERE), on the new table
        EXECUTE format('CREATE %sINDEX %I ON %s%s', CASE WHEN idx.indisunique THEN 'UNIQUE ' ELSE '' END,
                       lab.suffixed_index_name(idx.relname, s.relation, '_next'), s.staged_parent,
                       substr(idx.definition, strpos(idx.definition, ' USING ')));
        made := made + 1;
    END LOOP;
    EXECUTE format('COMMENT ON TABLE %s IS %L', s.staged_parent,
                   format('Partition Lab: prepared by the online migration of %s (by month on %s); takes the name at the switch',
                          s.table_name, s.time_column));
    RETURN format('%s prepared: PARTITION BY RANGE (%s), PRIMARY KEY (%s, %s), %s more indexes', s.staged_parent, s.time_column,
                  s.key_column, s.time_column, made);
END
$$;

-- Step 3: the switch, one short window. Under the lock discipline it takes ACCESS EXCLUSIVE on the plain table (and
-- on the prepared one, which nobody uses yet); readers and writers wait for the window only, which does catalog
-- work alone: the primary key becomes (key, time column) from the unique index (no scan: both columns are NOT NULL),
-- the table and its indexes step aside as <table>_old, the prepared table and its indexes take their names, the
-- table is attached as its DEFAULT partition (a lone DEFAULT has no constraint to prove: no scan) and the sequence
-- belongs to the new table. A query that waited then finds the partitioned table under the name, and every row in
-- its DEFAULT. Returns what it did, the attempts the locks took, how long it held them and the rows it read (from
-- pg_stat_xact_user_tables: 0, or a scan happened). Switched before: returns nothing.
CREATE OR REPLACE FUNCTION lab.online_migration_switch(table_name text, time_column text DEFAULT NULL)
RETURNS TABLE (switched text, kept_as text, lock_attempts integer, window_ms double precision, rows_read bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s         record;
    tbl       regclass;
    parent    regclass;
    attempts  integer;
    locked_at timestamptz;
    read_at_start bigint;
    pk_name   text;
    idx       record;
    seq       record;
    counterpart text;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name, time_column);
    IF s.next_step IN ('move', 'finish', 'done') THEN
        RETURN; -- switched before
    ELSIF s.next_step <> 'switch' THEN
        RAISE EXCEPTION '% is not ready for the switch: %', s.table_name,
            CASE s.next_step WHEN 'index' THEN 'build the unique index first (1_unique_index.sql)'
                             ELSE 'prepare the partitioned table first (2_parent.sql)' END USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    parent := to_regclass(s.staged_parent);
    attempts := online.lock_relations(ARRAY[tbl, parent], ARRAY['ACCESS EXCLUSIVE', 'ACCESS EXCLUSIVE'],
                                      format('switch %s to a partitioned table', tbl));
    locked_at := clock_timestamp();
    PERFORM online.enter_window(format('switch of %s', tbl));
    read_at_start := (SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables WHERE relid = tbl);

    -- the table's indexes step aside (the unique index becomes the primary key below); the prepared table's take their names
    pk_name := (SELECT conname FROM pg_constraint WHERE conrelid = tbl AND contype = 'p');
    FOR idx IN SELECT ic.relname, i.indisvalid FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
               WHERE i.indrelid = tbl AND NOT i.indisprimary AND ic.relname <> s.unique_index ORDER BY ic.relname LOOP
        EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s.schema_name, idx.relname, lab.suffixed_index_name(idx.relname, s.relation, '_old'));
        counterpart := lab.suffixed_index_name(idx.relname, s.relation, '_next');
        IF to_regclass(format('%I.%I', s.schema_name, counterpart)) IS NOT NULL THEN
            EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s.schema_name, counterpart, idx.relname);
        ELSIF idx.indisvalid THEN
            RAISE EXCEPTION 'the index % of % came after the partitioned table was prepared: drop % and prepare again (2_parent.sql)',
                idx.relname, s.table_name, s.staged_parent USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, pk_name);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I PRIMARY KEY USING INDEX %I', tbl, lab.suffixed_index_name(pk_name, s.relation, '_old'),
                   s.unique_index);
    EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', s.schema_name, lab.suffixed_index_name(pk_name, s.relation, '_next'), pk_name);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, (parse_ident(s.kept_table))[2]);
    EXECUTE format('ALTER TABLE %s RENAME TO %I', parent, s.relation);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', parent, tbl);
    FOR seq IN SELECT a.attname, pg_get_serial_sequence(s.kept_table, a.attname) AS sequence_name
               FROM pg_attribute a WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped LOOP
        IF seq.sequence_name IS NOT NULL THEN
            EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.%I', seq.sequence_name, parent, seq.attname);
        END IF;
    END LOOP;
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl,
                   format('Partition Lab: %s before the online migration; its DEFAULT partition until the move', s.table_name));
    EXECUTE format('COMMENT ON TABLE %s IS %L', parent,
                   format('Partition Lab: switched by the online migration (by month on %s); the rows move next', s.time_column));
    rows_read := (SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables WHERE relid = tbl) - read_at_start;
    IF online.fail_point('switch') THEN
        RAISE EXCEPTION 'failure injected in the switch of % (online.fail_at): it rolls back, nothing changed', s.table_name;
    END IF;
    PERFORM online.hold_window();
    switched := s.table_name;
    kept_as := s.kept_table;
    lock_attempts := attempts;
    window_ms := extract(epoch FROM clock_timestamp() - locked_at) * 1000;
    RETURN NEXT;
END
$$;

-- Step 4: the move begins: the online swap (sql/online) of <table>_old, the DEFAULT, for a partition per month of the
-- data's range and a new, empty DEFAULT. Returns the swap's id; begun before (or under way), the same id.
CREATE OR REPLACE FUNCTION lab.online_migration_begin_move(table_name text) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name);
    IF s.next_step IN ('finish', 'done') OR s.swap_state IN ('staging', 'swapped', 'verified') THEN
        RETURN s.swap_id;
    ELSIF s.next_step <> 'move' THEN
        RAISE EXCEPTION '% is not switched yet: nothing to move (3_switch.sql first)', s.table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN (SELECT online.begin_swap(to_regclass(s.table_name), lab.online_migration_label(s.table_name), ARRAY[s.kept_table],
                                     array_agg(m.partition_name ORDER BY m.k), array_agg(m.lower_bound ORDER BY m.k),
                                     array_agg(m.upper_bound ORDER BY m.k))
            FROM lab.online_migration_months(s.table_name) WITH ORDINALITY AS m(partition_name, lower_bound, upper_bound, k));
END
$$;

-- The swap that moves a table's rows, begun and not finished (steps 5 to 7 work on it).
CREATE OR REPLACE FUNCTION lab.online_migration_swap(table_name text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name);
    IF s.swap_state IS NULL OR s.swap_state NOT IN ('staging', 'swapped', 'verified') THEN
        RAISE EXCEPTION 'no move of % under way (%): 4_move_begin.sql begins it', s.table_name, s.next_step
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN s.swap_id;
END
$$;

-- Step 8: once the swap is verified: it is finished keeping <table>_old (the capture removed); <table>_old stops
-- drawing ids from the sequence (it is read-only data now) and is marked as kept; the table is marked migrated.
-- <table>_old is kept, as the one-transaction migrations keep theirs: the proof of the migration stays checkable
-- (each partition beside the rows of <table>_old its bound takes), and dropping the original is the operator's
-- decision, a DROP TABLE that locks nothing the application uses. Done before: changes nothing.
CREATE OR REPLACE FUNCTION lab.online_migration_finish(table_name text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s     record;
    tbl   regclass;
    kept  regclass;
BEGIN
    SELECT * INTO s FROM lab.online_migration_state(table_name);
    IF s.next_step = 'done' THEN
        RETURN format('%s: migrated before, nothing to do', s.table_name);
    ELSIF s.next_step = 'move' AND s.swap_state = 'verified' THEN
        PERFORM online.finish_swap(s.swap_id, true);
    ELSIF s.next_step <> 'finish' THEN
        RAISE EXCEPTION '% has not moved its rows yet (%): the move comes first (4_move_begin.sql to 7_verify.sql)', s.table_name,
            coalesce('swap ' || s.swap_state, s.next_step) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    tbl := to_regclass(s.table_name);
    kept := to_regclass(s.kept_table);
    IF kept IS NULL THEN
        PERFORM online.lock_relations(ARRAY[tbl], ARRAY['SHARE UPDATE EXCLUSIVE'], format('mark %s migrated', tbl));
    ELSE
        PERFORM online.lock_relations(ARRAY[tbl, kept], ARRAY['SHARE UPDATE EXCLUSIVE', 'ACCESS EXCLUSIVE'], format('mark %s migrated', tbl));
        PERFORM lab.stop_drawing_ids(kept);
        EXECUTE format('COMMENT ON TABLE %s IS %L', kept,
                       format('Partition Lab: %s before the online migration, verified identical to its partitions at the move; kept for comparison',
                              s.table_name));
    END IF;
    EXECUTE format('COMMENT ON TABLE %s IS %L', tbl, format('Partition Lab: partitioned online by month on %s', s.time_column));
    RETURN format('%s: partitioned by month on %s, %s partitions; the original kept as %s', s.table_name, s.time_column,
                  (SELECT count(*) FROM online.range_leaves(tbl)), s.kept_table);
END
$$;
