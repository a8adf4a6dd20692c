-- A duration setting of the online discipline in milliseconds: the session's custom setting when given
-- (SET online.lock_timeout_ms = '250'), else the fallback (a table's configuration), else the lab's default.
--   online.lock_timeout_ms  how long one attempt at a lock may wait (default 100; 0: as long as it takes, which is
--                           PostgreSQL's own default and what makes queues form behind a long query)
--   online.lock_budget_ms   how long all attempts together may take before giving up (default 30000)
--   online.batch_rows       rows copied per batch while staging (default 50000)
--   online.catch_up_rows    changes the window may be left to catch up with; more are caught up before it (default 200)
CREATE OR REPLACE FUNCTION online.setting(name text, fallback bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    given text := nullif(current_setting('online.' || name, true), '');
    value bigint;
BEGIN
    IF given IS NULL THEN
        RETURN coalesce(fallback, CASE name WHEN 'lock_timeout_ms' THEN 100 WHEN 'lock_budget_ms' THEN 30000
                                            WHEN 'batch_rows' THEN 50000 WHEN 'catch_up_rows' THEN 200 END);
    END IF;
    IF given !~ '^\d{1,9}$' OR given::bigint = 0 AND name <> 'lock_timeout_ms' THEN
        RAISE EXCEPTION 'online.% must be a whole number above 0, not %', name, quote_literal(given)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN given::bigint;
END
$$;
