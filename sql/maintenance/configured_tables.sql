-- The managed tables a command works on: the one named (see config_for), or else every enabled one (every one,
-- disabled too, for the reports: list, health, validate).
CREATE OR REPLACE FUNCTION maintenance.configured_tables(table_name text DEFAULT NULL, include_disabled boolean DEFAULT false)
RETURNS SETOF maintenance.partition_config LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF table_name IS NOT NULL THEN
        RETURN NEXT maintenance.config_for(table_name);
    ELSE
        RETURN QUERY SELECT * FROM maintenance.partition_config c WHERE c.enabled OR include_disabled ORDER BY c.parent_table;
    END IF;
END
$$;
