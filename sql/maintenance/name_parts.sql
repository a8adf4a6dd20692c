-- A table name as typed ('audit.audit_logs', 'audit_logs', '"Odd Name"') split into its identifiers by parse_ident,
-- which accepts nothing but one or two plain or quoted identifiers: text that is not a name (SQL riding along, say)
-- is refused with SQLSTATE 22023 before it is used anywhere.
CREATE OR REPLACE FUNCTION maintenance.name_parts(table_name text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    parts text[];
BEGIN
    BEGIN
        parts := parse_ident(table_name);
    EXCEPTION WHEN invalid_parameter_value OR syntax_error THEN
        parts := NULL;
    END;
    IF parts IS NULL OR array_length(parts, 1) NOT IN (1, 2) THEN
        RAISE EXCEPTION 'not a table name: %', coalesce(quote_literal(table_name), 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN parts;
END
$$;
