-- The five re-partitioning scenarios' checks and plans (schema lab). Needs sql/repartition/00_functions.sql.
-- Each lab.plan_<scenario> function checks the scenario's precondition and lists what the scenario would do,
-- changing nothing: the runbook's dry run shows it, and every scenario file starts with it, so a missing
-- precondition stops a scenario before it changes anything (SQLSTATE 22023, invalid_parameter_value). No row:
-- the scenario has nothing left to do (it ran before).
-- The original layout, which cleanup returns to: app.event_logs by month, 2024_01..2024_03 and a DEFAULT
-- (sql/migrate/range_event_logs.sql), and app.users_distributed by hash (sql/migrate/hash_users_distributed.sql).

-- A month of app.event_logs: 'YYYY-MM' gives its partition's name and bounds (UTC months, as the lessons use).
CREATE OR REPLACE FUNCTION lab.event_month(month text,
                                           OUT partition_name text, OUT lower_bound text, OUT upper_bound text)
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

-- app.event_logs must exist and be partitioned by range (the range lesson, or Migration.RANGE, builds it).
CREATE OR REPLACE FUNCTION lab.require_event_logs() RETURNS regclass LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regclass('app.event_logs') IS NULL OR lab.range_key('app.event_logs') IS NULL THEN
        RAISE EXCEPTION 'app.event_logs is missing or not partitioned by range: run the range lesson (or sql/migrate/range_event_logs.sql) first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN 'app.event_logs'::regclass;
END
$$;

-- The partition of app.event_logs that has exactly this name and these bounds, or NULL.
CREATE OR REPLACE FUNCTION lab.event_partition(wanted_name text, from_value text, to_value text) RETURNS regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf FROM lab.range_leaves('app.event_logs') AS l
    WHERE l.leaf = to_regclass(wanted_name)
      AND lab.key_le('app.event_logs', l.lower_bound, from_value) AND lab.key_le('app.event_logs', from_value, l.lower_bound)
      AND lab.key_le('app.event_logs', l.upper_bound, to_value) AND lab.key_le('app.event_logs', to_value, l.upper_bound)
$$;

-- Partitions of app.event_logs (not the DEFAULT) that share any time with [from_value, to_value).
CREATE OR REPLACE FUNCTION lab.event_partitions_within(from_value text, to_value text) RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf FROM lab.range_leaves('app.event_logs') AS l
    WHERE NOT l.is_default
      AND NOT lab.key_le('app.event_logs', to_value, l.lower_bound)
      AND NOT lab.key_le('app.event_logs', l.upper_bound, from_value)
$$;

CREATE OR REPLACE FUNCTION lab.count_where(rel regclass, condition text) RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF rel IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('SELECT count(*) FROM %s WHERE %s', rel, condition) INTO n;
    RETURN n;
END
$$;

-- The weeks a month partition splits into: 7 days each from the 1st (days 1-7, 8-14, 15-21), and a last one
-- from the 22nd to the end of the month, which takes the partial week (7 to 10 days: 8 in February 2024).
CREATE OR REPLACE FUNCTION lab.month_weeks(month text)
RETURNS TABLE (week int, partition_name text, lower_bound text, upper_bound text, days int) LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
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

-- Partitions of app.event_logs (not the DEFAULT) outside the original months: cleanup removes them.
CREATE OR REPLACE FUNCTION lab.extra_event_partitions()
RETURNS TABLE (leaf regclass, lower_bound text, upper_bound text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT l.leaf, l.lower_bound, l.upper_bound FROM lab.range_leaves('app.event_logs') AS l
    WHERE NOT l.is_default
      AND NOT EXISTS (SELECT FROM lab.original_months() AS o
                      WHERE lab.key_le('app.event_logs', o.lower_bound, l.lower_bound)
                        AND lab.key_le('app.event_logs', l.upper_bound, o.upper_bound))
$$;

-- Tables staged for app.event_logs (lab.stage_partition) and not attached: left by a scenario that did not finish.
CREATE OR REPLACE FUNCTION lab.staged_event_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass FROM pg_class c
    WHERE c.relkind = 'r' AND NOT c.relispartition
      AND obj_description(c.oid, 'pg_class') LIKE 'Partition Lab: staged for app.event_logs %'
$$;

-- A name a scenario may stage a partition under: free, or a table the lab staged before (a rerun tops it up).
CREATE OR REPLACE FUNCTION lab.require_free_or_staged(table_name text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF to_regclass(table_name) IS NOT NULL
       AND coalesce(obj_description(to_regclass(table_name), 'pg_class'), '') NOT LIKE 'Partition Lab: staged for %' THEN
        RAISE EXCEPTION 'a table % exists and is not one the lab staged: rename or drop it first', table_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_add(month text) RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
    parent regclass := lab.require_event_logs();
    taken regclass;
    default_leaf regclass := (SELECT leaf FROM lab.range_leaves(parent) WHERE is_default);
    moving bigint;
BEGIN
    IF lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NOT NULL THEN
        RETURN; -- added before
    END IF;
    SELECT l INTO taken FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l LIMIT 1;
    IF taken IS NOT NULL THEN
        RAISE EXCEPTION '% is already covered by partition %: nothing to add', month, taken USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM lab.require_free_or_staged(m.partition_name);
    moving := lab.count_where(default_leaf, lab.range_condition(parent, m.lower_bound, m.upper_bound));
    RETURN QUERY VALUES
        (1, format('stage: create %s standalone (LIKE %s, its indexes, a CHECK matching FROM %L TO %L) and copy the month''s rows; writers go on',
                   m.partition_name, parent, m.lower_bound, m.upper_bound), m.partition_name, moving),
        (2, format('swap: lock %s exclusively (with a DEFAULT, ATTACH''s lighter lock would fail inserts already routed there) and %s; top up the copy; delete the month''s rows from %s',
                   parent, coalesce(default_leaf::text, 'no DEFAULT'), coalesce(default_leaf::text, 'the DEFAULT')), coalesce(default_leaf::text, ''), moving),
        (3, format('attach %s: its CHECK proves the bound, so PostgreSQL skips the scan; verify count and checksum', m.partition_name),
            m.partition_name, moving);
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_split(month text) RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
    parent regclass := lab.require_event_logs();
    month_partition regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    week record;
BEGIN
    IF month_partition IS NULL THEN
        IF (SELECT count(*) FROM lab.month_weeks(month) AS w
            WHERE lab.event_partition(w.partition_name, w.lower_bound, w.upper_bound) IS NOT NULL) = 4 THEN
            RETURN; -- split before
        END IF;
        RAISE EXCEPTION 'no partition % of app.event_logs to split (the month''s rows are in %)', m.partition_name,
            coalesce((SELECT string_agg(l::text, ', ') FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l), 'the DEFAULT')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR week IN SELECT * FROM lab.month_weeks(month) LOOP
        PERFORM lab.require_free_or_staged(week.partition_name);
        RETURN QUERY SELECT week.week, format('stage: create %s standalone (%s .. %s, %s days) and copy its rows from %s; writers go on',
                                              week.partition_name, week.lower_bound, week.upper_bound, week.days, month_partition),
                            week.partition_name, lab.count_where(month_partition, lab.range_condition(parent, week.lower_bound, week.upper_bound));
    END LOOP;
    RETURN QUERY SELECT 5, format('swap: lock %s exclusively (DETACH needs it) and its DEFAULT; top up the copies; detach %s; attach the 4 weeks (CHECKs skip their scans); verify; drop %s',
                                  parent, month_partition, month_partition),
                        month_partition::text, lab.count_where(month_partition, 'true');
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_detach(month text) RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
    parent regclass := lab.require_event_logs();
    month_partition regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    archive regclass := to_regclass('app.event_logs_archive');
    rows_now bigint;
BEGIN
    IF month_partition IS NULL THEN
        IF lab.count_where(archive, lab.range_condition(parent, m.lower_bound, m.upper_bound)) > 0
           AND NOT EXISTS (SELECT FROM lab.event_partitions_within(m.lower_bound, m.upper_bound)) THEN
            RETURN; -- detached and archived before
        END IF;
        RAISE EXCEPTION 'no partition % of app.event_logs to detach (the month is covered by %)', m.partition_name,
            coalesce((SELECT string_agg(l::text, ', ') FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l), 'the DEFAULT')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    rows_now := lab.count_where(month_partition, 'true');
    RETURN QUERY VALUES
        (1, format('archive: copy the rows of %s into app.event_logs_archive (archived_at, archive_reason); writers go on', month_partition),
            'app.event_logs_archive', rows_now),
        (2, format('detach: lock %s exclusively (DETACH ... CONCURRENTLY is refused while %s has a DEFAULT partition); top up the archive; verify; DETACH; DROP %s',
                   parent, parent, month_partition), month_partition::text, rows_now);
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_migrate() RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    users regclass := to_regclass('app.users_distributed');
BEGIN
    IF users IS NULL THEN
        RAISE EXCEPTION 'app.users_distributed is missing: run the hash lesson (or sql/migrate/hash_users_distributed.sql) first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY VALUES
        (1, CASE WHEN to_regclass('app.users_by_date') IS NULL
                 THEN 'create app.users_by_date, RANGE-partitioned by quarter on registration_date, a partition per quarter of the data'
                 ELSE 'app.users_by_date exists: add partitions for new quarters' END, 'app.users_by_date', NULL::bigint),
        (2, 'copy the users app.users_by_date lacks, in one snapshot (REPEATABLE READ); compare counts and checksums; keep both tables',
            'app.users_distributed', lab.count_where(users, 'true') - lab.count_where(to_regclass('app.users_by_date'), 'true'));
END
$$;

-- What cleanup does to return to the original layout: no weekly partitions, no archive, no other month, no
-- app.users_by_date; and the rows of everything it removes back in app.event_logs.
CREATE OR REPLACE FUNCTION lab.plan_cleanup() RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent regclass := lab.require_event_logs();
    archive regclass := to_regclass('app.event_logs_archive');
    m record;
    leaf record;
    staged record;
    missing bigint;
    n int := 0;
BEGIN
    FOR m IN SELECT * FROM lab.original_months() LOOP
        IF lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NULL THEN
            n := n + 1;
            RETURN QUERY SELECT n, format('restore %s from %s%s', m.partition_name,
                                          coalesce((SELECT string_agg(l::text, ', ') FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l), 'the DEFAULT'),
                                          CASE WHEN archive IS NULL THEN '' ELSE ' and app.event_logs_archive' END),
                                m.partition_name,
                                lab.count_where(parent, lab.range_condition(parent, m.lower_bound, m.upper_bound))
                                + lab.count_where(archive, lab.range_condition(parent, m.lower_bound, m.upper_bound));
        END IF;
    END LOOP;
    FOR leaf IN SELECT * FROM lab.extra_event_partitions() LOOP
        n := n + 1;
        RETURN QUERY SELECT n, format('remove %s (FROM %s TO %s): detach it, its rows back through %s into the DEFAULT, drop it',
                                      leaf.leaf, leaf.lower_bound, leaf.upper_bound, parent),
                            leaf.leaf::text, lab.count_where(leaf.leaf, 'true');
    END LOOP;
    IF archive IS NOT NULL THEN
        n := n + 1;
        RETURN QUERY SELECT n, 'restore the archived rows through app.event_logs (where not there already), drop app.event_logs_archive',
                            archive::text, lab.count_where(archive, 'true');
    END IF;
    -- (an original month staged before is not left over: the restore attaches it)
    FOR staged IN SELECT t AS rel FROM lab.staged_event_tables() AS t
                  WHERE t NOT IN (SELECT to_regclass(o.partition_name) FROM lab.original_months() AS o
                                  WHERE to_regclass(o.partition_name) IS NOT NULL)
    LOOP
        n := n + 1;
        RETURN QUERY SELECT n, format('drop %s, left staged by a scenario that did not finish (its rows missing from %s go back first)', staged.rel, parent),
                            staged.rel::text, lab.count_where(staged.rel, 'true');
    END LOOP;
    IF to_regclass('app.users_by_date') IS NOT NULL THEN
        missing := lab.count_where('app.users_by_date',
                                   'NOT EXISTS (SELECT 1 FROM app.users_distributed d WHERE d.id = users_by_date.id)');
        IF missing > 0 THEN
            RAISE EXCEPTION 'app.users_by_date holds % users missing from app.users_distributed: copy them back or drop it yourself', missing
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        n := n + 1;
        RETURN QUERY SELECT n, 'drop app.users_by_date (every one of its users is also in app.users_distributed)',
                            'app.users_by_date', lab.count_where('app.users_by_date', 'true');
    END IF;
END
$$;

-- A parameter of a scenario file: the custom setting when given (SET lab.month = '2024-05'), else the default.
CREATE OR REPLACE FUNCTION lab.setting_or(setting_name text, fallback text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(nullif(current_setting(setting_name, true), ''), fallback)
$$;

-- The naive way to add a month: CREATE TABLE ... PARTITION OF, tried and always rolled back. It locks the parent
-- exclusively and scans the DEFAULT; while the DEFAULT holds rows of the month, PostgreSQL refuses (23514).
CREATE OR REPLACE FUNCTION lab.try_create_partition(month text)
RETURNS TABLE (refused boolean, sql_state text, message text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
BEGIN
    PERFORM lab.require_event_logs();
    BEGIN
        EXECUTE format('CREATE TABLE %s PARTITION OF app.event_logs FOR VALUES FROM (%L) TO (%L)',
                       lab.quoted_name(m.partition_name), m.lower_bound, m.upper_bound);
        RAISE EXCEPTION 'lab: undo the trial CREATE' USING ERRCODE = 'LAB01';
    EXCEPTION
        WHEN SQLSTATE 'LAB01' THEN
            RETURN QUERY SELECT false, NULL::text, format('CREATE TABLE %s PARTITION OF app.event_logs would succeed (tried and rolled back)', m.partition_name);
        WHEN OTHERS THEN
            RETURN QUERY SELECT true, SQLSTATE, SQLERRM;
    END;
END
$$;

-- Detach, step 1 and the top-up of step 2: the month's rows copied into app.event_logs_archive; rows copied before
-- and unchanged are skipped, changed ones updated. Returns the rows written.
CREATE OR REPLACE FUNCTION lab.archive_month(month text) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
    month_partition regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    written bigint;
BEGIN
    IF month_partition IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format($copy$
        INSERT INTO app.event_logs_archive (id, event_type, user_id, created_at, payload, archived_at, archive_reason)
        SELECT p.id, p.event_type, p.user_id, p.created_at, p.payload, now(), %L
        FROM %s AS p
        WHERE NOT EXISTS (SELECT 1 FROM app.event_logs_archive AS a
                          WHERE (a.id, a.event_type, a.user_id, a.created_at, a.payload) = (p.id, p.event_type, p.user_id, p.created_at, p.payload))
        ON CONFLICT (id, created_at) DO UPDATE
            SET event_type = EXCLUDED.event_type, user_id = EXCLUDED.user_id, payload = EXCLUDED.payload,
                archived_at = EXCLUDED.archived_at, archive_reason = EXCLUDED.archive_reason$copy$,
        format('detached with partition %s (FOR VALUES FROM (%L) TO (%L))', month_partition, m.lower_bound, m.upper_bound),
        month_partition);
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

-- Detach, step 2, in one transaction: lock the parent (DETACH needs it exclusively; CONCURRENTLY is refused while a
-- DEFAULT partition exists) and the DEFAULT; top up the archive; prove every row of the partition is in it,
-- identical; DETACH; DROP. Same columns as lab.swap_range; no row when the month was detached before.
CREATE OR REPLACE FUNCTION lab.detach_month(month text)
RETURNS TABLE (moved_range text, rows_before bigint, checksum_before numeric, rows_after bigint, checksum_after numeric,
               detached text, attached text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record := lab.event_month(month);
    parent regclass := lab.require_event_logs();
    month_partition regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    default_leaf regclass := (SELECT leaf FROM lab.range_leaves(parent) WHERE is_default);
    before_fp record;
    after_fp record;
BEGIN
    IF month_partition IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', parent);
    IF default_leaf IS NOT NULL THEN
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', default_leaf);
    END IF;
    PERFORM lab.archive_month(month);
    before_fp := lab.rows_fingerprint(format('%s', month_partition), parent);
    after_fp := lab.rows_fingerprint(format(
        '(SELECT a.id, a.event_type, a.user_id, a.created_at, a.payload FROM app.event_logs_archive AS a JOIN %s AS p
          ON (a.id, a.event_type, a.user_id, a.created_at, a.payload) = (p.id, p.event_type, p.user_id, p.created_at, p.payload))',
        month_partition), parent);
    IF after_fp.row_count <> before_fp.row_count OR after_fp.row_checksum <> before_fp.row_checksum THEN
        RAISE EXCEPTION 'app.event_logs_archive lacks rows of % (% rows, % archived identically): rolled back',
            month_partition, before_fp.row_count, after_fp.row_count;
    END IF;
    PERFORM lab.fail_point('archived');
    EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', parent, month_partition);
    PERFORM lab.fail_point('detached');
    EXECUTE format('DROP TABLE %s', month_partition);
    RETURN QUERY SELECT format('%s .. %s', m.lower_bound, m.upper_bound), before_fp.row_count, before_fp.row_checksum,
                        after_fp.row_count, after_fp.row_checksum, m.partition_name, 'app.event_logs_archive'::text;
END
$$;

-- Migrate: app.users_by_date, RANGE-partitioned by quarter on registration_date (a partition per quarter the
-- users span; no DEFAULT), made to hold exactly the users of app.users_distributed in the caller's snapshot:
-- created when missing, users it lacks copied, users changed or gone since removed. Returns the rows copied.
CREATE OR REPLACE FUNCTION lab.sync_users_by_date() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    quarter date;
    copied bigint;
BEGIN
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
    END IF;
    FOR quarter IN SELECT DISTINCT date_trunc('quarter', registration_date)::date FROM app.users_distributed ORDER BY 1 LOOP
        IF to_regclass(format('app.users_by_date_%s_q%s', extract(year FROM quarter), extract(quarter FROM quarter))) IS NULL THEN
            EXECUTE format('CREATE TABLE app.%I PARTITION OF app.users_by_date FOR VALUES FROM (%L) TO (%L)',
                           format('users_by_date_%s_q%s', extract(year FROM quarter), extract(quarter FROM quarter)),
                           quarter, (quarter + interval '3 months')::date);
        END IF;
    END LOOP;
    DELETE FROM app.users_by_date AS b
    WHERE NOT EXISTS (SELECT 1 FROM app.users_distributed AS d
                      WHERE (d.id, d.username, d.email, d.country_code, d.registration_date)
                          = (b.id, b.username, b.email, b.country_code, b.registration_date));
    INSERT INTO app.users_by_date (id, username, email, country_code, registration_date)
    SELECT id, username, email, country_code, registration_date FROM app.users_distributed
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END
$$;

-- Cleanup, step 2, in one transaction: the original layout again. Original months come back (rows from weekly
-- partitions, the DEFAULT and the archive, staged by cleanup_1_stage.sql); other partitions go, their rows back
-- into the DEFAULT; archived rows return through app.event_logs; tables left staged by an unfinished scenario
-- give back rows the table lacks, then go; app.users_by_date goes when every user in it is in app.users_distributed.
-- A row per action, with the rows it moved before and after (lab.swap_range proves each range).
CREATE OR REPLACE FUNCTION lab.cleanup_layout()
RETURNS TABLE (moved_range text, rows_before bigint, checksum_before numeric, rows_after bigint, checksum_after numeric,
               detached text, attached text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent regclass := lab.require_event_logs();
    archive regclass := to_regclass('app.event_logs_archive');
    m record;
    leaf record;
    staged record;
    before_fp record;
BEGIN
    PERFORM * FROM lab.plan_cleanup(); -- its precondition (app.users_by_date holds nothing of its own) first
    EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', parent); -- before any DEFAULT lock: writers' order
    FOR m IN SELECT * FROM lab.original_months() LOOP
        IF lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound) IS NULL THEN
            RETURN QUERY SELECT * FROM lab.swap_range(parent, m.lower_bound, m.upper_bound,
                                                      ARRAY[m.partition_name], ARRAY[m.lower_bound], ARRAY[m.upper_bound], archive);
        END IF;
    END LOOP;
    FOR leaf IN SELECT * FROM lab.extra_event_partitions() LOOP
        RETURN QUERY SELECT * FROM lab.swap_range(parent, leaf.lower_bound, leaf.upper_bound, '{}', '{}', '{}');
    END LOOP;
    IF archive IS NOT NULL THEN
        before_fp := lab.rows_fingerprint(format('(SELECT %s FROM %s AS t)', lab.column_list(parent, 't'), archive), parent);
        EXECUTE format('INSERT INTO %s SELECT %s FROM %s AS t ON CONFLICT DO NOTHING', parent, lab.column_list(parent, 't'), archive);
        -- every archived row's key is in the table now (a live row with the same key, newer, was kept)
        IF EXISTS (SELECT 1 FROM app.event_logs_archive AS a
                   WHERE NOT EXISTS (SELECT 1 FROM app.event_logs AS p WHERE p.id = a.id AND p.created_at = a.created_at)) THEN
            RAISE EXCEPTION 'archived rows are missing from % after the restore: rolled back', parent;
        END IF;
        EXECUTE format('DROP TABLE %s', archive);
        IF before_fp.row_count > 0 THEN -- rows of months without a partition of their own (the restores took the rest)
            RETURN QUERY SELECT 'archive'::text, before_fp.row_count, before_fp.row_checksum, before_fp.row_count, before_fp.row_checksum,
                                'app.event_logs_archive'::text, parent::text;
        END IF;
    END IF;
    FOR staged IN SELECT t AS rel FROM lab.staged_event_tables() AS t LOOP
        EXECUTE format('INSERT INTO %s SELECT * FROM %s ON CONFLICT DO NOTHING', parent, staged.rel);
        EXECUTE format('DROP TABLE %s', staged.rel);
    END LOOP;
    IF to_regclass('app.users_by_date') IS NOT NULL THEN
        DROP TABLE app.users_by_date;
    END IF;
    PERFORM lab.fail_point('restored');
END
$$;

-- The plan of a scenario by name (sql/repartition/plan.sql); month is ignored by migrate and cleanup.
CREATE OR REPLACE FUNCTION lab.plan_scenario(scenario text, month text)
RETURNS TABLE (step int, action text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    CASE scenario
        WHEN 'add' THEN RETURN QUERY SELECT * FROM lab.plan_add(coalesce(month, '2024-04'));
        WHEN 'split' THEN RETURN QUERY SELECT * FROM lab.plan_split(coalesce(month, '2024-02'));
        WHEN 'detach' THEN RETURN QUERY SELECT * FROM lab.plan_detach(coalesce(month, '2024-01'));
        WHEN 'migrate' THEN RETURN QUERY SELECT * FROM lab.plan_migrate();
        WHEN 'cleanup' THEN RETURN QUERY SELECT * FROM lab.plan_cleanup();
        ELSE RAISE EXCEPTION 'unknown scenario ''%'': use add, split, detach, migrate or cleanup', scenario
                 USING ERRCODE = 'invalid_parameter_value';
    END CASE;
END
$$;
