-- The lock discipline (online.lock_relations, sql/online) with a managed table's numbers: each attempt under
-- lock_timeout, retried with backoff and jitter until the budget is spent, then SQLSTATE 55P03 naming the session in
-- the way. The numbers are the session's online.lock_timeout_ms and online.lock_budget_ms when set (the runbook's
-- --lock-timeout and --lock-budget), else the table's lock_timeout_ms and lock_budget_ms (partition_config).
-- Call it first in the transaction of an exclusive step; returns the attempts it took.
CREATE OR REPLACE FUNCTION maintenance.lock_relations(cfg maintenance.partition_config, relations regclass[], modes text[],
                                                      what text)
RETURNS integer LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    SELECT online.lock_relations(relations, modes, what, online.setting('lock_timeout_ms', cfg.lock_timeout_ms),
                                 online.setting('lock_budget_ms', cfg.lock_budget_ms))
$$;
