-- What to ANALYZE or VACUUM for each managed table (or the one named), for a client to run one statement at a
-- time: VACUUM cannot run inside a function, and one statement per partition shows progress and durations.
-- Every leaf partition, then the parent itself (autovacuum never analyzes a partitioned table: its statistics come
-- only from a manual ANALYZE). With stale_only, just the leaves never analyzed or with more than 10% (plus 50) of
-- their rows changed since, and the parent when any leaf is listed.
CREATE OR REPLACE FUNCTION maintenance.maintenance_targets(table_name text DEFAULT NULL, stale_only boolean DEFAULT false)
RETURNS TABLE (parent_table text, relation text, is_parent boolean, reason text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    WITH leaves AS (
        SELECT cfg.parent_table, p.partition_name AS relation, p.is_default, p.lower_ts,
               CASE WHEN greatest(s.last_analyze, s.last_autoanalyze) IS NULL THEN 'never analyzed'
                    WHEN s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 0) + 50
                        THEN format('%s rows changed since the last analyze', s.n_mod_since_analyze)
               END AS stale
        FROM maintenance.configured_tables(table_name) cfg
        CROSS JOIN LATERAL maintenance.partitions(cfg) p
        JOIN pg_class c ON c.oid = p.partition
        LEFT JOIN pg_stat_all_tables s ON s.relid = p.partition
    ), chosen AS (
        SELECT * FROM leaves WHERE NOT stale_only OR stale IS NOT NULL
    )
    SELECT parent_table, relation, is_parent, reason
    FROM (SELECT parent_table, relation, false AS is_parent, coalesce(stale, 'every partition') AS reason, is_default, lower_ts
          FROM chosen
          UNION ALL
          SELECT DISTINCT parent_table, parent_table, true, 'the parent: autovacuum never analyzes a partitioned table',
                 NULL::boolean, NULL::timestamp
          FROM chosen) targets
    ORDER BY parent_table, is_parent, is_default, lower_ts
$$;
