-- Benchmark: the loads recorded for lab.layout on this server (none: never loaded here), and the rows its table
-- holds now.
SELECT l.layout, l.route, l.table_name, l.scale, l.row_count, l.seed, l.seconds, l.rows_per_s, l.loaded_at,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', to_regclass(l.table_name)), false, true, '')))[1]::text::bigint
           AS rows_now
FROM lab.bench_loads l
WHERE l.layout = current_setting('lab.layout') AND to_regclass('lab.bench_loads') IS NOT NULL
ORDER BY l.route;
