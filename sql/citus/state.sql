-- Any phase (coordinator): where the journey stands, read from the catalogs, before Citus is installed too (the
-- Citus catalogs are only queried when they exist, through query_to_xml, so the file always plans).
--   tables_exist    phase 1's tables are there       baseline_tables  tables with a recorded baseline
--   citus           the extension's version, or NULL nodes / workers  rows of pg_dist_node, all / workers only
--   citus_tables    'app.orders=distributed,app.regions=reference,...' (empty when nothing is distributed)
SELECT to_regclass('app.orders') IS NOT NULL AS tables_exist,
       CASE WHEN to_regclass('lab.citus_baseline') IS NULL THEN 0
            ELSE (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM lab.citus_baseline', false, true, '')))[1]::text::int
       END AS baseline_tables,
       (SELECT extversion FROM pg_extension WHERE extname = 'citus') AS citus,
       CASE WHEN to_regclass('pg_dist_node') IS NULL THEN 0
            ELSE (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM pg_dist_node', false, true, '')))[1]::text::int
       END AS nodes,
       CASE WHEN to_regclass('pg_dist_node') IS NULL THEN 0
            ELSE (xpath('/row/n/text()', query_to_xml('SELECT count(*) AS n FROM pg_dist_node WHERE groupid <> 0', false, true, '')))[1]::text::int
       END AS workers,
       CASE WHEN to_regclass('pg_dist_partition') IS NULL THEN ''
            ELSE coalesce((xpath('/row/t/text()', query_to_xml(
                     $$SELECT string_agg(format('%I.%I', n.nspname, c.relname) || '='
                                         || CASE p.partmethod WHEN 'h' THEN 'distributed' WHEN 'n' THEN 'reference' ELSE p.partmethod::text END,
                                         ',' ORDER BY n.nspname, c.relname) AS t
                       FROM pg_dist_partition AS p
                       JOIN pg_class AS c ON c.oid = p.logicalrelid
                       JOIN pg_namespace AS n ON n.oid = c.relnamespace$$, false, true, '')))[1]::text, '')
       END AS citus_tables;
