-- Changes a managed table's retention, months created ahead, whether maintenance runs for it, or the lock discipline
-- of its exclusive steps (lock_timeout_ms: how long one attempt at a lock may wait, 0 for as long as it takes;
-- lock_budget_ms: all attempts together); NULL leaves a value as it is. A retention of 0 or less, a negative premake,
-- a negative timeout or a budget shorter than the timeout is refused (SQLSTATE 22023).
CREATE OR REPLACE FUNCTION maintenance.set_config(table_name text, retention_months integer DEFAULT NULL,
                                                  premake_months integer DEFAULT NULL, enabled boolean DEFAULT NULL,
                                                  lock_timeout_ms integer DEFAULT NULL, lock_budget_ms integer DEFAULT NULL)
RETURNS maintenance.partition_config LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg maintenance.partition_config := maintenance.config_for(table_name);
BEGIN
    PERFORM maintenance.checked_retention(retention_months);
    IF premake_months IS NOT NULL AND premake_months NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'months ahead must be 0 to 120, not %', premake_months USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        UPDATE maintenance.partition_config c
        SET retention_months = coalesce(set_config.retention_months, c.retention_months),
            premake_months = coalesce(set_config.premake_months, c.premake_months),
            enabled = coalesce(set_config.enabled, c.enabled),
            lock_timeout_ms = coalesce(set_config.lock_timeout_ms, c.lock_timeout_ms),
            lock_budget_ms = coalesce(set_config.lock_budget_ms, c.lock_budget_ms),
            updated_at = now()
        WHERE c.parent_table = cfg.parent_table
        RETURNING c.* INTO cfg;
    EXCEPTION WHEN check_violation THEN
        RAISE EXCEPTION 'lock timeout % ms and budget % ms for %: the timeout must be 0 or more, the budget above 0 and at least the timeout',
            coalesce(set_config.lock_timeout_ms, cfg.lock_timeout_ms), coalesce(set_config.lock_budget_ms, cfg.lock_budget_ms),
            cfg.parent_table USING ERRCODE = 'invalid_parameter_value';
    END;
    RETURN cfg;
END
$$;
