-- Creates a managed table's partition for one month, unless it exists. Rows of that month waiting in the DEFAULT
-- partition (PostgreSQL refuses the new partition while they sit there) move into it in the same transaction:
-- the parent is locked against writers, the rows are deleted from the DEFAULT into a temporary table, the
-- partition is created, the rows go into it, and their count and checksum must match or everything rolls back.
-- A month whose name is taken by another table, or that overlaps a partition with other bounds, is skipped
-- with the reason. Returns one line: create (rows = rows moved out of the DEFAULT) or skip; none if it exists.
CREATE OR REPLACE FUNCTION maintenance.create_partition(cfg maintenance.partition_config, month date)
RETURNS SETOF maintenance.action_line LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    started      timestamptz := clock_timestamp();
    parent       regclass := cfg.parent_table::regclass;
    first_day    date := date_trunc('month', month)::date;
    target       text := format('%I.%I', (parse_ident(cfg.parent_table))[1], maintenance.partition_name(cfg, first_day));
    lower_lit    text := maintenance.bound_literal(cfg, first_day);
    upper_lit    text := maintenance.bound_literal(cfg, (first_day + interval '1 month')::date);
    in_month     text := maintenance.month_condition(cfg, first_day, (first_day + interval '1 month')::date);
    columns      text;
    default_part regclass;
    clash        text;
    waiting      boolean;
    moved        bigint := 0;
    checksum     numeric;
    landed       bigint;
    landed_sum   numeric;
BEGIN
    IF to_regclass(target) IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(target) AND inhparent = parent) THEN
            RETURN; -- there already
        END IF;
        RETURN NEXT ROW(cfg.parent_table, 'skip', target, 0::bigint, 0::float8,
                        'a table of that name exists and is not a partition of ' || cfg.parent_table)::maintenance.action_line;
        RETURN;
    END IF;
    -- one look at the partitions: one that overlaps the month (if any), and the DEFAULT
    SELECT min(p.partition_name || ' (' || p.lower_bound || ' to ' || p.upper_bound || ')')
               FILTER (WHERE NOT p.is_default AND p.lower_ts < (first_day + interval '1 month') AND p.upper_ts > first_day),
           (array_agg(p.partition) FILTER (WHERE p.is_default))[1]
    INTO clash, default_part
    FROM maintenance.partitions(cfg) p;
    IF clash IS NOT NULL THEN
        RETURN NEXT ROW(cfg.parent_table, 'skip', target, 0::bigint, 0::float8,
                        'the month overlaps partition ' || clash)::maintenance.action_line;
        RETURN;
    END IF;

    IF default_part IS NOT NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s)', default_part, in_month) INTO waiting;
    END IF;
    IF waiting THEN
        -- Writers lock the parent before the DEFAULT; so do we, so that no writer can put a row of this month
        -- into the DEFAULT between the move and the CREATE, and no deadlock is possible.
        EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE', parent);
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
        FROM pg_attribute WHERE attrelid = parent AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
        IF to_regclass('pg_temp.maintenance_rescued') IS NOT NULL THEN
            DROP TABLE pg_temp.maintenance_rescued; -- left by an earlier month of the same transaction
        END IF;
        EXECUTE format('CREATE TEMP TABLE maintenance_rescued ON COMMIT DROP AS '
                       'WITH moved AS (DELETE FROM %s WHERE %s RETURNING %s) SELECT * FROM moved',
                       default_part, in_month, columns);
        EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(ROW(%s)::text, 0)::numeric), 0) FROM pg_temp.maintenance_rescued',
                       columns) INTO moved, checksum;
    END IF;

    EXECUTE format('CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%s) TO (%s)', target, parent, lower_lit, upper_lit);
    EXECUTE format('COMMENT ON TABLE %s IS %L', target, 'created by the Partition Lab partition manager');

    IF waiting THEN
        EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM pg_temp.maintenance_rescued', target, columns, columns);
        EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(ROW(%s)::text, 0)::numeric), 0) FROM %s', columns, target)
            INTO landed, landed_sum;
        IF landed <> moved OR landed_sum <> checksum THEN
            RAISE EXCEPTION 'rows moved out of the DEFAULT into % differ (% rows, checksum % before; % rows, checksum % after): rolled back',
                target, moved, checksum, landed, landed_sum;
        END IF;
        DROP TABLE pg_temp.maintenance_rescued;
    END IF;

    RETURN NEXT ROW(cfg.parent_table, 'create', target, moved,
                    extract(epoch FROM clock_timestamp() - started) * 1000,
                    CASE WHEN moved > 0 THEN format('moved %s rows out of %s (count and checksum verified)', moved, default_part)
                         ELSE format('empty, %s to %s', first_day, (first_day + interval '1 month')::date) END)::maintenance.action_line;
END
$$;
