-- What the online functions need to know of a RANGE-partitioned table, read from the catalogs.

-- The one column a table is RANGE-partitioned on, and its type (no row when it is not partitioned that way).
CREATE OR REPLACE FUNCTION online.range_key(parent regclass, OUT key_name name, OUT key_type text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.attname, format_type(a.atttypid, a.atttypmod)
    FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
    WHERE p.partrelid = parent AND p.partstrat = 'r' AND p.partnatts = 1
$$;

-- The table's columns in order, each after a prefix ('t' gives 't.id, t.event_type, ...', '(l.row)' gives
-- '(l.row).id, ...'; '' bare names). The prefix is SQL the online functions write, never a user's input.
CREATE OR REPLACE FUNCTION online.column_list(rel regclass, prefix text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT string_agg(CASE WHEN prefix = '' THEN quote_ident(attname) ELSE prefix || '.' || quote_ident(attname) END,
                      ', ' ORDER BY attnum)
    FROM pg_attribute
    WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$$;

-- The primary key's columns after a prefix, as column_list writes them, each followed by a suffix (' DESC' to
-- sort backwards): what the catch-up and the copy go by.
CREATE OR REPLACE FUNCTION online.key_list(rel regclass, prefix text, suffix text DEFAULT '') RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    keys text;
BEGIN
    SELECT string_agg(CASE WHEN prefix = '' THEN quote_ident(a.attname) ELSE prefix || '.' || quote_ident(a.attname) END || suffix,
                      ', ' ORDER BY k.ord)
    INTO keys
    FROM pg_index i
    CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
    WHERE i.indrelid = rel AND i.indisprimary;
    IF keys IS NULL THEN
        RAISE EXCEPTION '% has no primary key: the online swap follows rows by their key', rel
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN keys;
END
$$;

-- The direct partitions of a RANGE-partitioned table with their bounds as literals (NULL for the DEFAULT).
CREATE OR REPLACE FUNCTION online.range_leaves(parent regclass)
RETURNS TABLE (leaf regclass, leaf_name text, lower_bound text, upper_bound text, is_default boolean)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT c.oid::regclass, format('%I.%I', n.nspname, c.relname),
           (regexp_match(b.bound, 'FROM \((.*)\) TO \((.*)\)$'))[1],
           (regexp_match(b.bound, 'FROM \((.*)\) TO \((.*)\)$'))[2],
           b.bound = 'DEFAULT'
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL (SELECT pg_get_expr(c.relpartbound, c.oid) AS bound) AS b
    WHERE i.inhparent = parent
$$;

-- "t.key >= lower AND t.key < upper" for literals as pg_get_expr writes bounds ('2024-01-01 00:00:00+00')
-- or as plain values; MINVALUE and MAXVALUE leave that side open.
CREATE OR REPLACE FUNCTION online.bound_condition(parent regclass, lower text, upper text, prefix text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k record := online.range_key(parent);
    col text;
BEGIN
    IF k.key_name IS NULL THEN
        RAISE EXCEPTION '% is not partitioned by RANGE on one column', parent USING ERRCODE = 'invalid_parameter_value';
    END IF;
    col := CASE WHEN prefix = '' THEN quote_ident(k.key_name) ELSE prefix || '.' || quote_ident(k.key_name) END;
    RETURN '(' || concat_ws(' AND ',
        CASE WHEN upper(lower) = 'MINVALUE' THEN NULL ELSE format('%s >= %L::%s', col, online.unquoted(lower), k.key_type) END,
        CASE WHEN upper(upper) = 'MAXVALUE' THEN NULL ELSE format('%s < %L::%s', col, online.unquoted(upper), k.key_type) END,
        CASE WHEN upper(lower) = 'MINVALUE' AND upper(upper) = 'MAXVALUE' THEN 'true' END) || ')';
END
$$;

-- A bound as pg_get_expr writes it ('2024-01-01 00:00:00+00', quotes doubled inside) as the value it stands for.
CREATE OR REPLACE FUNCTION online.unquoted(literal text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN literal LIKE '''%''' THEN replace(substr(literal, 2, length(literal) - 2), '''''', '''') ELSE literal END
$$;

-- Row count and checksum of the rows a query returns (sum of a 64-bit hash of each whole row's text, as
-- sql/lab/table_fingerprint.sql computes it): equal fingerprints before and after a move mean the same rows.
CREATE OR REPLACE FUNCTION online.fingerprint(query text, OUT row_count bigint, OUT row_checksum numeric)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM (%s) AS t', query)
        INTO row_count, row_checksum;
END
$$;

-- A swap's record, for a step that may run in the given states only (NULL: any): refused, with SQLSTATE 22023 and
-- the refusal's words, when the swap does not exist or stands elsewhere.
CREATE OR REPLACE FUNCTION online.swap_record(swap bigint, allowed text[], refusal text) RETURNS online.swaps
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    s online.swaps := (SELECT w FROM online.swaps w WHERE w.swap_id = swap);
BEGIN
    IF s.swap_id IS NULL THEN
        RAISE EXCEPTION 'no swap %', swap USING ERRCODE = 'invalid_parameter_value';
    ELSIF allowed IS NOT NULL AND NOT s.state = ANY (allowed) THEN
        RAISE EXCEPTION 'swap % is %: %', swap, s.state, refusal USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN s;
END
$$;
