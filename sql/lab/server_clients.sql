-- The client sessions on this server other than the one asking, by their TCP port (-1 over a Unix socket): before
-- a lab process stops a server it started, it makes sure nobody else (a psql, say) is still connected.
-- Sessions other lab servers open (postgres_fdw from the FDW coordinator, Citus between its nodes) do not count:
-- each lab process that uses those servers holds a lease on this one as well.
SELECT coalesce(client_port, -1) AS client_port
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  AND application_name NOT LIKE 'postgres\_fdw%' AND application_name NOT LIKE 'citus%';
