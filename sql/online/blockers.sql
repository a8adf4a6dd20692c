-- The other sessions that stand in the way of locking relations in the given modes: those holding a conflicting
-- lock first (oldest transaction first), then those waiting for one ahead of us. From pg_locks, which is what
-- pg_blocking_pids() reads, so that it can be asked after a lock_timeout, when nothing waits any more.
CREATE OR REPLACE FUNCTION online.blockers(relations regclass[], modes text[])
RETURNS TABLE (pid integer, relation text, held_mode text, granted boolean, state text, xact_start timestamptz,
               query_start timestamptz, query text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT DISTINCT ON (l.pid) l.pid, l.relation::regclass::text, l.mode, l.granted, a.state, a.xact_start, a.query_start,
           left(regexp_replace(a.query, '\s+', ' ', 'g'), 80)
    FROM unnest(relations, modes) AS wanted(rel, mode)
    JOIN pg_locks l ON l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.relation = wanted.rel AND l.mode = ANY (online.conflicting_modes(wanted.mode))
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.pid <> pg_backend_pid()
    ORDER BY l.pid, l.granted DESC
$$;

-- One line naming the session most in the way, for an error message: pid, application (the lab's sessions name their
-- runbook or notebook), state, since when, and its query.
CREATE OR REPLACE FUNCTION online.describe_blocker(relations regclass[], modes text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(
        (SELECT format('pid %s (%s, %s, %s %s on %s, transaction since %s, query started %s: %s)', b.pid,
                       coalesce(nullif((SELECT a.application_name FROM pg_stat_activity a WHERE a.pid = b.pid), ''), 'no application name'),
                       coalesce(b.state, 'unknown state'),
                       CASE WHEN b.granted THEN 'holding' ELSE 'waiting for' END, b.held_mode, b.relation,
                       coalesce(to_char(b.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', '?'),
                       coalesce(to_char(b.query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', '?'),
                       coalesce(quote_literal(b.query), 'query not visible'))
         FROM online.blockers(relations, modes) b
         ORDER BY b.granted DESC, b.xact_start NULLS LAST
         LIMIT 1),
        'a session that let go before it could be named')
$$;
