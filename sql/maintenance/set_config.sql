-- Changes a managed table's retention, months created ahead, or whether maintenance runs for it; NULL leaves a
-- value as it is. A retention of 0 or less, or a negative premake, is refused (SQLSTATE 22023).
CREATE OR REPLACE FUNCTION maintenance.set_config(table_name text, retention_months integer DEFAULT NULL,
                                                  premake_months integer DEFAULT NULL, enabled boolean DEFAULT NULL)
RETURNS maintenance.partition_config LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cfg maintenance.partition_config := maintenance.config_for(table_name);
BEGIN
    PERFORM maintenance.checked_retention(retention_months);
    IF premake_months IS NOT NULL AND premake_months NOT BETWEEN 0 AND 120 THEN
        RAISE EXCEPTION 'months ahead must be 0 to 120, not %', premake_months USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE maintenance.partition_config c
    SET retention_months = coalesce(set_config.retention_months, c.retention_months),
        premake_months = coalesce(set_config.premake_months, c.premake_months),
        enabled = coalesce(set_config.enabled, c.enabled),
        updated_at = now()
    WHERE c.parent_table = cfg.parent_table
    RETURNING c.* INTO cfg;
    RETURN cfg;
END
$$;
