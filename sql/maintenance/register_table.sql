-- Puts a table under management (or changes how it is managed, and enables it again): checks that it is RANGE-partitioned on exactly
-- the control column, of type timestamptz, timestamp or date, and that the patterns make valid names.
-- lock_timeout_ms and lock_budget_ms set the lock discipline of its exclusive steps (NULL: 100 and 30000 for a new
-- table, unchanged for one registered before). Refuses anything else with SQLSTATE 22023, changing nothing.
CREATE OR REPLACE FUNCTION maintenance.register_table(
    table_name       text,
    control_column   name,
    retention_months integer DEFAULT NULL,
    premake_months   integer DEFAULT 3,
    name_pattern     text    DEFAULT '{table}_p{YYYY}_{MM}',
    default_pattern  text    DEFAULT '{table}_p_default',
    retention_mode   text    DEFAULT 'drop',
    archive_schema   name    DEFAULT NULL,
    lock_timeout_ms  integer DEFAULT NULL,
    lock_budget_ms   integer DEFAULT NULL)
RETURNS maintenance.partition_config LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts    text[];
    parent   regclass;
    key_name name;
    key_type text;
    cfg      maintenance.partition_config;
BEGIN
    parts := maintenance.name_parts(table_name);
    IF array_length(parts, 1) <> 2 THEN
        RAISE EXCEPTION 'not a schema-qualified table name: %', coalesce(quote_literal(table_name), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    parent := to_regclass(format('%I.%I', parts[1], parts[2]));
    IF parent IS NULL THEN
        RAISE EXCEPTION 'no table %', table_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT a.attname, format_type(a.atttypid, NULL) INTO key_name, key_type
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent AND p.partstrat = 'r' AND p.partnatts = 1;
    IF key_name IS NULL THEN
        RAISE EXCEPTION '% is not RANGE-partitioned on one column', table_name USING ERRCODE = 'invalid_parameter_value';
    ELSIF key_name <> control_column THEN
        RAISE EXCEPTION '% is partitioned on %, not on %', table_name, key_name, control_column
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF key_type NOT IN ('timestamp with time zone', 'timestamp without time zone', 'date') THEN
        RAISE EXCEPTION '%.% is %: monthly partitions need timestamptz, timestamp or date', table_name, key_name, key_type
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    cfg := ROW(format('%I.%I', parts[1], parts[2]), key_name, interval '1 month', maintenance.checked_retention(retention_months), premake_months,
               name_pattern, default_pattern, retention_mode, archive_schema, true, now(),
               coalesce(register_table.lock_timeout_ms, 100), coalesce(register_table.lock_budget_ms, 30000))::maintenance.partition_config;
    IF length(maintenance.partition_name(cfg, date '2000-01-01')) > 63 OR length(maintenance.partition_name(cfg)) > 63 THEN
        RAISE EXCEPTION 'partition names from % would be longer than 63 bytes', name_pattern USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        INSERT INTO maintenance.partition_config AS c VALUES (cfg.*)
        ON CONFLICT (parent_table) DO UPDATE SET
            control_column = excluded.control_column, retention_months = excluded.retention_months,
            premake_months = excluded.premake_months, name_pattern = excluded.name_pattern,
            default_pattern = excluded.default_pattern, retention_mode = excluded.retention_mode,
            archive_schema = excluded.archive_schema, enabled = true, updated_at = now(),
            lock_timeout_ms = coalesce(register_table.lock_timeout_ms, c.lock_timeout_ms),
            lock_budget_ms = coalesce(register_table.lock_budget_ms, c.lock_budget_ms)
        RETURNING c.* INTO cfg;
    EXCEPTION WHEN check_violation THEN
        RAISE EXCEPTION 'invalid configuration for %: % (premake 0..120, patterns with {YYYY} and {MM}, mode drop, detach or archive, an archive schema for archive only, lock timeout 0 or more, a lock budget above 0 and at least the timeout)',
            table_name, SQLERRM USING ERRCODE = 'invalid_parameter_value';
    END;
    RETURN cfg;
END
$$;
