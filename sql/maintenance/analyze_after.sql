-- What to ANALYZE after a run changed a managed table: only what changed. The partitions it created or filled
-- (touched), which have no statistics yet; and, when any partition came or went (partitions_changed), the parent,
-- whose own statistics (autovacuum never gathers them for a partitioned table) still describe the old partitions.
-- PostgreSQL 18 and later: ANALYZE ONLY parent, which samples the partitions for the parent's statistics without
-- analyzing each partition again. Before 18 there is no ONLY: ANALYZE of a parent analyzes every partition as well,
-- a cost that grows with the whole table. So there the run analyzes the parent only when its statistics are missing
-- or more than 7 days old (that ANALYZE covers the touched partitions too), and otherwise leaves them with a line
-- that says so; `Maintain analyze --table` refreshes them at will. One row per relation: the statement to run, or
-- NULL with the reason it is left out.
CREATE OR REPLACE FUNCTION maintenance.analyze_after(table_name text, touched text[], partitions_changed boolean)
RETURNS TABLE (parent_table text, relation text, statement text, reason text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg          maintenance.partition_config := maintenance.config_for(table_name);
    has_only     boolean := current_setting('server_version_num')::int >= 180000;
    last_analyze timestamptz;
    t            text;
BEGIN
    parent_table := cfg.parent_table;
    IF partitions_changed AND NOT has_only THEN
        -- the statistics functions pg_stat_all_tables is made of, for the one table (the view computes every table's)
        last_analyze := greatest(pg_stat_get_last_analyze_time(cfg.parent_table::regclass),
                                 pg_stat_get_last_autoanalyze_time(cfg.parent_table::regclass));
        IF last_analyze IS NULL OR last_analyze < now() - interval '7 days' THEN
            relation := cfg.parent_table;
            statement := format('ANALYZE %s', cfg.parent_table::regclass);
            reason := format('the parent''s statistics are %s: on PostgreSQL < 18 this analyzes every partition too',
                             coalesce('from ' || to_char(last_analyze AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ', over 7 days old', 'missing'));
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;
    FOREACH t IN ARRAY coalesce(touched, '{}') LOOP
        CONTINUE WHEN to_regclass(t) IS NULL;
        relation := t;
        statement := format('ANALYZE %s', to_regclass(t));
        reason := 'new or refilled partition';
        RETURN NEXT;
    END LOOP;
    IF partitions_changed THEN
        relation := cfg.parent_table;
        IF has_only THEN
            statement := format('ANALYZE ONLY %s', cfg.parent_table::regclass);
            reason := 'its partitions changed: ANALYZE ONLY samples them for the parent''s statistics';
        ELSE
            statement := NULL;
            reason := format('left as they are (from %s): on PostgreSQL < 18 ANALYZE of a parent analyzes every partition too; '
                             'done when over 7 days old, or by Maintain analyze', to_char(last_analyze AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'));
        END IF;
        RETURN NEXT;
    END IF;
END
$$;
