-- Benchmark: the loads recorded for lab.layout on this server (no table lab.bench_loads: never loaded here), and the
-- rows its table holds now, counted once per table (the sharded layout has a row per route, one table).
WITH recorded AS (
    SELECT * FROM lab.bench_loads WHERE layout = current_setting('lab.layout')
), counted AS (
    SELECT t.table_name,
           (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', to_regclass(t.table_name)), false, true, '')))[1]::text::bigint
               AS rows_now
    FROM (SELECT DISTINCT table_name FROM recorded) AS t
)
SELECT r.layout, r.route, r.table_name, r.scale, r.row_count, r.seed, r.seconds, r.rows_per_s, r.loaded_at, c.rows_now
FROM recorded r
JOIN counted c USING (table_name)
ORDER BY r.route;
