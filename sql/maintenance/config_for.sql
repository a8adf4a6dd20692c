-- The configuration of one managed table, named as the operator typed it: 'audit.audit_logs', or 'audit_logs'
-- when only one managed table has that name. Anything else (an unknown or ambiguous name, text that is not an
-- identifier, such as SQL riding along) is refused with SQLSTATE 22023 before anything happens.
CREATE OR REPLACE FUNCTION maintenance.config_for(table_name text) RETURNS maintenance.partition_config
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts   text[] := maintenance.name_parts(table_name);
    matches maintenance.partition_config[];
BEGIN
    SELECT array_agg(c ORDER BY c.parent_table) INTO matches
    FROM maintenance.partition_config c
    WHERE CASE WHEN array_length(parts, 1) = 2 THEN c.parent_table = format('%I.%I', parts[1], parts[2])
               ELSE (parse_ident(c.parent_table))[2] = parts[1] END;
    IF matches IS NULL THEN
        RAISE EXCEPTION 'no managed table %: the configured ones are %', table_name,
            coalesce((SELECT string_agg(parent_table, ', ' ORDER BY parent_table) FROM maintenance.partition_config), 'none')
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF array_length(matches, 1) > 1 THEN
        RAISE EXCEPTION 'table name % is ambiguous: say %', table_name,
            (SELECT string_agg(m.parent_table, ' or ') FROM unnest(matches) m) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN matches[1];
END
$$;
