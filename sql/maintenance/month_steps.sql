-- What giving a managed table its months takes, month by month: the catalogs read once, the DEFAULT partition
-- scanned once (reading nothing when it is empty). Changes nothing. One line per month without its partition:
--   create  no row of the month waits in the DEFAULT: a new table, attached (create_months)
--   rescue  rows of the month wait in the DEFAULT (rows: how many): the DEFAULT is swapped online for the month's
--           partition and a new DEFAULT (begin_rescue)
--   skip    the month cannot have its partition: its name is taken, or it overlaps a partition with other bounds
--   keep    (the daily run's months only) rows in the DEFAULT outside the months the manager keeps stay there
-- Which months: those given; or, with none given, the daily run's: this month and the months ahead
-- (premake_months), and each month from the retention cutoff to the last month ahead with rows waiting in the
-- DEFAULT; or, with fill_gaps, every month from the oldest partition or the oldest row waiting in the DEFAULT (not
-- before the retention cutoff) to the last month ahead. A month a partition already covers gives no line.
CREATE OR REPLACE FUNCTION maintenance.month_steps(cfg maintenance.partition_config, today date, months date[] DEFAULT NULL,
                                                   fill_gaps boolean DEFAULT false)
RETURNS TABLE (month date, partition_name text, step text, rows bigint, detail text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    this_month   date := date_trunc('month', today)::date;
    last_ahead   date := (date_trunc('month', today) + make_interval(months => cfg.premake_months))::date;
    cutoff       date := maintenance.retention_cutoff(cfg, today);
    schema_name  text := (parse_ident(cfg.parent_table))[1];
    default_part regclass;
    lowers       timestamp[];
    uppers       timestamp[];
    bounds       text[];
    waiting      date[];
    waiting_rows bigint[];
    outside      bigint;
    target       text;
    clash        text;
    m            date;
BEGIN
    SELECT array_agg(p.lower_ts ORDER BY p.lower_ts) FILTER (WHERE NOT p.is_default),
           array_agg(p.upper_ts ORDER BY p.lower_ts) FILTER (WHERE NOT p.is_default),
           array_agg(p.partition_name || ' (' || p.lower_bound || ' to ' || p.upper_bound || ')' ORDER BY p.lower_ts)
               FILTER (WHERE NOT p.is_default),
           (array_agg(p.partition) FILTER (WHERE p.is_default))[1]
    INTO lowers, uppers, bounds, default_part
    FROM maintenance.partitions(cfg) p;
    IF default_part IS NOT NULL THEN
        SELECT array_agg(d.month ORDER BY d.month), array_agg(d.rows ORDER BY d.month) INTO waiting, waiting_rows
        FROM maintenance.default_months(cfg, default_part) d;
    END IF;

    IF months IS NULL AND fill_gaps THEN
        months := ARRAY(SELECT g::date FROM generate_series(
            greatest(least((SELECT date_trunc('month', min(l))::date FROM unnest(lowers) AS l WHERE l > '-infinity'),
                           (SELECT min(w) FROM unnest(waiting) AS w), this_month), cutoff),
            last_ahead, interval '1 month') AS g);
    ELSIF months IS NULL THEN
        months := ARRAY(SELECT g::date FROM generate_series(this_month, last_ahead, interval '1 month') AS g
                        UNION
                        SELECT w FROM unnest(waiting) AS w WHERE w >= coalesce(cutoff, '-infinity') AND w <= last_ahead
                        ORDER BY 1);
        SELECT sum(r) INTO outside FROM unnest(waiting, waiting_rows) AS u(w, r)
        WHERE w IS NULL OR w < coalesce(cutoff, '-infinity') OR w > last_ahead;
        IF outside > 0 THEN
            month := NULL; partition_name := default_part::text; step := 'keep'; rows := outside;
            detail := format('rows outside the managed months (%s to %s) stay in the DEFAULT: move or delete them on purpose',
                             coalesce(to_char(cutoff, 'YYYY-MM'), 'any'), to_char(last_ahead, 'YYYY-MM'));
            RETURN NEXT;
        END IF;
    END IF;

    FOREACH m IN ARRAY months LOOP
        m := date_trunc('month', m)::date;
        CONTINUE WHEN EXISTS (SELECT FROM unnest(lowers, uppers) AS p(lo, hi) WHERE p.lo = m AND p.hi = m + interval '1 month');
        month := m;
        partition_name := format('%I.%I', schema_name, maintenance.partition_name(cfg, m));
        rows := coalesce(waiting_rows[array_position(waiting, m)], 0);
        SELECT b INTO clash FROM unnest(lowers, uppers, bounds) AS p(lo, hi, b) WHERE p.lo < m + interval '1 month' AND p.hi > m LIMIT 1;
        IF clash IS NOT NULL THEN
            step := 'skip'; detail := 'the month overlaps partition ' || clash;
        ELSIF to_regclass(partition_name) IS NOT NULL THEN
            step := 'skip'; detail := 'a table of that name exists and is not a partition of ' || cfg.parent_table;
        ELSIF rows > 0 THEN
            step := 'rescue'; detail := format('%s rows of the month wait in the DEFAULT', rows);
        ELSE
            step := 'create'; detail := format('empty, %s to %s', m, (m + interval '1 month')::date);
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
