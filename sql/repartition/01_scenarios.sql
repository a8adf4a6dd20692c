-- The five re-partitioning scenarios' plans (schema lab), changing nothing: each lab.plan_<scenario> checks the
-- scenario's precondition (SQLSTATE 22023, invalid_parameter_value, before anything changes) and lists its steps,
-- what each does, the locks it takes and who waits for them, and the rows it moves. The runbook's dry run shows it;
-- every scenario file starts with it. No row: the scenario has nothing left to do (it ran before).
-- Needs sql/repartition/00_functions.sql. The lock statements follow the code of sql/online and 00_functions.sql,
-- and lesson 05 checks them against pg_locks.

SET client_min_messages = warning;
DROP FUNCTION IF EXISTS lab.plan_add(text), lab.plan_split(text), lab.plan_detach(text), lab.plan_migrate(), lab.plan_cleanup(),
    lab.plan_scenario(text, text);
RESET client_min_messages;

-- How every strong lock below is asked for, in the session's discipline (online.lock_timeout_ms, online.lock_budget_ms).
CREATE OR REPLACE FUNCTION lab.discipline_text() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN online.setting('lock_timeout_ms') = 0
                THEN 'WITHOUT lock_timeout: it waits as long as it takes, and everyone who comes after it queues behind it'
                ELSE format('under lock_timeout %s ms, retried within %s ms, else given up with nothing changed',
                            online.setting('lock_timeout_ms'), online.setting('lock_budget_ms')) END
$$;

-- The relations of app.event_logs' tree a scenario's window locks, and in which mode (as pg_locks names it): the
-- parent, the DEFAULT and the partitions the window detaches. (A swap's window also locks its staged tables, which
-- are not partitions yet.) The plan states them; lesson 05 compares them with what pg_locks shows during the window.
CREATE OR REPLACE FUNCTION lab.window_locks(scenario text, month text) RETURNS TABLE (relation text, mode text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent regclass := lab.require_event_logs();
    wanted text := lab.swap_label(scenario, month);
    olds   text[];
    m      record;
BEGIN
    IF scenario = 'detach' THEN
        m := lab.event_month(month);
        olds := ARRAY[lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound)::text];
    ELSIF scenario IN ('add', 'split', 'cleanup') THEN
        SELECT w.old_leaves INTO olds FROM online.swaps w WHERE w.swap_id = lab.swap_under_way(wanted);
        IF olds IS NULL THEN
            SELECT a.old_leaves INTO olds FROM lab.swap_args(scenario, month) AS a;
        END IF;
    END IF;
    RETURN QUERY
        SELECT DISTINCT r, 'AccessExclusiveLock'::text
        FROM unnest(ARRAY[parent::text, online.default_partition(parent)::text] || olds) AS r
        WHERE cardinality(array_remove(olds, NULL)) > 0 AND r IS NOT NULL
        ORDER BY 1;
END
$$;

-- The three steps of a swap scenario: what they do and lock, from its old and new partitions and its sources.
-- state: NULL (not begun), or the state of the swap under way (the steps it has done are left out).
CREATE OR REPLACE FUNCTION lab.plan_swap(scenario text, month text, old_leaves text[], new_names text[], new_lowers text[], sources text[],
                                         state text)
RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parent        regclass := lab.require_event_logs();
    default_leaf  text := online.default_partition(parent)::text;
    default_stays boolean := default_leaf IS NOT NULL AND NOT default_leaf = ANY (old_leaves)
                             AND EXISTS (SELECT FROM unnest(new_lowers) AS lo WHERE lo IS NOT NULL);
    olds          text := array_to_string(old_leaves, ', ');
    news          text := array_to_string(new_names, ', ');
    moving        bigint;
    window_rels   text;
BEGIN
    SELECT coalesce(sum(lab.count_where(to_regclass(o), 'true')), 0) INTO moving FROM unnest(old_leaves) AS o;
    SELECT moving + coalesce(sum(lab.rows_missing_from_event_logs(to_regclass(s))), 0) INTO moving FROM unnest(sources) AS s;
    SELECT string_agg(w.relation, ', ') INTO window_rels FROM lab.window_locks(scenario, month) AS w;
    IF state IS NULL OR state = 'staging' THEN
        RETURN QUERY SELECT 1, 'stage'::text,
            CASE WHEN state = 'staging' THEN format('continue the swap under way (%s): ', lab.swap_label(scenario, month)) ELSE '' END
            || format('begin: a trigger on %s captures every change from then on; %s created empty and standalone, each with a CHECK '
                      'matching its bound%s; then the rows of %s%s copied into them in batches of %s rows, each its own short transaction%s',
                      olds, news,
                      CASE WHEN default_stays THEN format('; a CHECK on %s excluding the new ranges, added NOT VALID', default_leaf) ELSE '' END,
                      olds, CASE WHEN cardinality(sources) > 0 THEN format(' and the rows of %s that app.event_logs lacks', array_to_string(sources, ', ')) ELSE '' END,
                      online.setting('batch_rows'),
                      CASE WHEN default_stays THEN '; then that CHECK validated, so that ATTACH need not scan the DEFAULT' ELSE '' END)
            || format('; while more than %s changes wait, they are caught up with in rounds, so that the window is left few',
                      online.setting('catch_up_rows')),
            format('begin, one short transaction: ACCESS SHARE on %s, SHARE ROW EXCLUSIVE on %s (writers to it wait a moment, readers go on)%s; '
                   'batches: ACCESS SHARE (readers and writers go on)%s; a catch-up round: SHARE on %s for an instant (writers wait a '
                   'moment, readers go on); %s',
                   parent, olds,
                   CASE WHEN default_stays THEN format(', ACCESS EXCLUSIVE on %s for the NOT VALID CHECK (catalog only: its readers and writers wait a moment)', default_leaf) ELSE '' END,
                   CASE WHEN default_stays THEN format('; VALIDATE: SHARE UPDATE EXCLUSIVE on %s (a scan: readers and writers go on)', default_leaf) ELSE '' END,
                   olds, lab.discipline_text()),
            olds, moving;
        RETURN QUERY SELECT 2, 'swap'::text,
            format('window, one short transaction: the staged tables catch up with the changes captured since staging caught up last (the '
                   'only rows it writes); DETACH %s (kept until verified); ATTACH %s, their CHECKs%s proving the bounds, so nothing is scanned',
                   olds, news, CASE WHEN default_stays THEN format(' and the one on %s', default_leaf) ELSE '' END),
            format('ACCESS EXCLUSIVE on %s and the staged tables, %s: readers and writers of %s wait, for the window only', window_rels,
                   lab.discipline_text(), parent),
            parent::text, NULL::bigint;
    END IF;
    RETURN QUERY SELECT 3, 'verify'::text,
        CASE WHEN state IN ('swapped', 'verified') THEN format('continue the swap under way (%s, %s): ', lab.swap_label(scenario, month), state) ELSE '' END
        || format('count and checksum of %s (kept, detached) against the new partitions as they were at the window, read while the '
                  'application goes on; equal: the old ones are dropped, and the capture; different: the swap is reverted, online', olds),
        format('reads: ACCESS SHARE (readers and writers go on); DROP TRIGGER of the capture: ACCESS EXCLUSIVE on each new partition for a '
               'moment (catalog only), %s; the kept old partitions are nobody else''s', lab.discipline_text()),
        news, moving;
END
$$;

-- A swap scenario's plan: the swap under way with its label, or the one its arguments describe (lab.swap_args).
CREATE OR REPLACE FUNCTION lab.plan_swap_scenario(scenario text, month text)
RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    w online.swaps;
    a record;
BEGIN
    SELECT * INTO w FROM online.swaps s WHERE s.swap_id = lab.swap_under_way(lab.swap_label(scenario, month));
    IF FOUND THEN
        RETURN QUERY SELECT * FROM lab.plan_swap(scenario, month, w.old_leaves, w.new_names, w.new_lowers, w.sources, w.state);
        RETURN;
    END IF;
    FOR a IN SELECT * FROM lab.swap_args(scenario, month) LOOP
        RETURN QUERY SELECT * FROM lab.plan_swap(scenario, month, a.old_leaves, a.new_names, a.new_lowers, a.sources, NULL);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_add(month text) RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM lab.plan_swap_scenario('add', month)
$$;

CREATE OR REPLACE FUNCTION lab.plan_split(month text) RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM lab.plan_swap_scenario('split', month)
$$;

CREATE OR REPLACE FUNCTION lab.plan_detach(month text) RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m        record := lab.event_month(month);
    parent   regclass := lab.require_event_logs();
    leaf     regclass := lab.event_partition(m.partition_name, m.lower_bound, m.upper_bound);
    detached regclass := to_regclass(lab.detached_name(month));
BEGIN
    PERFORM lab.require_no_other_swap('');
    IF leaf IS NOT NULL AND detached IS NOT NULL THEN
        RAISE EXCEPTION '% has a partition again, and % from an earlier detach is not archived yet: run detach_2_archive.sql for it, or cleanup',
            month, detached USING ERRCODE = 'invalid_parameter_value';
    ELSIF leaf IS NULL AND detached IS NULL THEN
        IF lab.count_where(to_regclass('app.event_logs_archive'), online.bound_condition(parent, m.lower_bound, m.upper_bound, 't')) > 0
           AND NOT EXISTS (SELECT FROM lab.event_partitions_within(m.lower_bound, m.upper_bound)) THEN
            RETURN; -- detached and archived before
        END IF;
        RAISE EXCEPTION 'no partition % of app.event_logs to detach (the month is covered by %)', m.partition_name,
            coalesce((SELECT string_agg(l::text, ', ') FROM lab.event_partitions_within(m.lower_bound, m.upper_bound) AS l), 'the DEFAULT')
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF leaf IS NOT NULL THEN
        RETURN QUERY SELECT 1, 'detach'::text,
            format('window, one short transaction, catalog only: DETACH %s and rename it %s (0 rows touched); rows of the month written '
                   'from then on go to the DEFAULT', leaf, lab.detached_name(month)),
            format('ACCESS EXCLUSIVE on %s, %s: readers and writers of %s wait, for the window only (DETACH ... CONCURRENTLY would let '
                   'them go on, but PostgreSQL refuses it while a DEFAULT partition exists)',
                   (SELECT string_agg(w.relation, ', ') FROM lab.window_locks('detach', month) AS w), lab.discipline_text(), parent),
            leaf::text, lab.count_where(leaf, 'true');
    END IF;
    RETURN QUERY SELECT 2, 'archive'::text,
        format('one transaction: copy %s (nobody writes it any more) into app.event_logs_archive with archived_at and archive_reason, '
               'prove every row of it there (count and checksum), drop it', lab.detached_name(month)),
        format('ACCESS SHARE on %s while copying, then ACCESS EXCLUSIVE on it to drop it, %s (nobody else uses it); %s is not locked',
               lab.detached_name(month), lab.discipline_text(), parent),
        'app.event_logs_archive'::text, lab.count_where(coalesce(detached, leaf), 'true');
END
$$;

CREATE OR REPLACE FUNCTION lab.plan_migrate() RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    users regclass := to_regclass('app.users_distributed');
BEGIN
    IF users IS NULL THEN
        RAISE EXCEPTION 'app.users_distributed is missing: run the hash lesson (or sql/migrate/hash_users_distributed.sql) first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY SELECT 1, 'build'::text,
        CASE WHEN to_regclass('app.users_by_date') IS NULL
             THEN 'create app.users_by_date, RANGE-partitioned by quarter on registration_date, a partition per quarter of the data; '
             ELSE 'app.users_by_date exists: add partitions for new quarters; ' END
        || 'copy the users it lacks and remove those changed or gone, in one REPEATABLE READ snapshot; compare count and checksum; keep both tables',
        format('ACCESS SHARE on app.users_distributed and its partitions (a reader''s lock: its readers and writers go on); ACCESS EXCLUSIVE on '
               'app.users_by_date only while adding quarters to it, %s', lab.discipline_text()),
        'app.users_distributed'::text, lab.count_where(users, 'true') - lab.count_where(to_regclass('app.users_by_date'), 'true');
END
$$;

-- What cleanup does to return to the original layout (2024_01..2024_03 and a DEFAULT, every row in app.event_logs):
-- its swap, when partitions must change or rows come back, then the tables the scenarios built beside it dropped.
CREATE OR REPLACE FUNCTION lab.plan_cleanup() RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t regclass;
BEGIN
    RETURN QUERY SELECT * FROM lab.plan_swap_scenario('cleanup', NULL);
    FOR t IN SELECT * FROM lab.tables_aside() LOOP
        RETURN QUERY SELECT 4, 'drop'::text,
            format('drop %s once every row of it has its key in app.event_logs again (the swap brings them back)', t),
            format('ACCESS EXCLUSIVE on %s only, %s (only these scenarios use it)', t, lab.discipline_text()),
            t::text, lab.count_where(t, 'true');
    END LOOP;
    IF to_regclass('app.users_by_date') IS NOT NULL THEN
        RETURN QUERY SELECT 4, 'drop'::text, 'drop app.users_by_date (every one of its users is also in app.users_distributed)',
            format('ACCESS EXCLUSIVE on app.users_by_date only, %s', lab.discipline_text()),
            'app.users_by_date'::text, lab.users_by_date_to_drop();
    END IF;
END
$$;

-- The month a scenario works on: the one given, else its default (add 2024-04, split 2024-02, detach 2024-01); NULL
-- for migrate and cleanup, which take none. An unknown scenario is refused.
CREATE OR REPLACE FUNCTION lab.scenario_month(scenario text, month text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE scenario
        WHEN 'add' THEN coalesce(month, '2024-04')
        WHEN 'split' THEN coalesce(month, '2024-02')
        WHEN 'detach' THEN coalesce(month, '2024-01')
        WHEN 'migrate' THEN NULL
        WHEN 'cleanup' THEN NULL
        ELSE lab.unknown_scenario(scenario) END;
END
$$;

CREATE OR REPLACE FUNCTION lab.unknown_scenario(scenario text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'unknown scenario ''%'': use add, split, detach, migrate or cleanup', scenario USING ERRCODE = 'invalid_parameter_value';
END
$$;

-- The plan of a scenario by name (sql/repartition/plan.sql).
CREATE OR REPLACE FUNCTION lab.plan_scenario(scenario text, month text)
RETURNS TABLE (step int, name text, action text, locks text, relation text, row_count bigint)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := lab.scenario_month(scenario, month);
BEGIN
    CASE scenario
        WHEN 'add' THEN RETURN QUERY SELECT * FROM lab.plan_add(m);
        WHEN 'split' THEN RETURN QUERY SELECT * FROM lab.plan_split(m);
        WHEN 'detach' THEN RETURN QUERY SELECT * FROM lab.plan_detach(m);
        WHEN 'migrate' THEN RETURN QUERY SELECT * FROM lab.plan_migrate();
        ELSE RETURN QUERY SELECT * FROM lab.plan_cleanup();
    END CASE;
END
$$;
