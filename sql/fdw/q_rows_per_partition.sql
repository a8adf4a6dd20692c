-- Run on the coordinator: the rows of each foreign partition of app.events_sharded, counted through postgres_fdw,
-- with the shard (foreign server) and the hash bound of each.
SELECT c.relname::text                            AS partition,
       s.srvname::text                            AS shard,
       pg_get_expr(c.relpartbound, c.oid)         AS bound,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM app.%I', c.relname), false, true, '')))[1]::text::bigint
                                                  AS rows_via_coordinator
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
JOIN pg_foreign_server s ON s.oid = ft.ftserver
WHERE i.inhparent = 'app.events_sharded'::regclass
ORDER BY c.relname;
