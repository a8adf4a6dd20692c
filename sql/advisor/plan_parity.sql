-- The verification of an advisor plan (its verify.sql): count and checksum per partition against the source, each
-- partition beside the rows of the plain table that satisfy its partition constraint (pg_get_partition_constraintdef,
-- the very condition PostgreSQL routes rows by, as sql/lab/partition_parity.sql counts them; checksums as
-- online.fingerprint and sql/lab/table_fingerprint.sql make them). Which side is the source depends on where the table
-- stands:
--   migrated     (the table partitioned, <table>_old kept): the source is <table>_old; every row of it must be in its
--                partition, unchanged; rows written since the migration are extra, and counted
--   rolled back  (the table plain again, <table>_partitioned kept): the source is each partition of
--                <table>_partitioned; every row of it must be in the plain table; rows written since are extra
-- verdict per partition: identical (same count and checksum), 'every source row, N written since', or ROWS MISSING.
-- Reads only. Refused (SQLSTATE 22023): a table neither migrated by a plan nor rolled back.
CREATE OR REPLACE FUNCTION lab.plan_parity(table_name text)
RETURNS TABLE (compared text, partition_name text, bound text, source_rows bigint, source_checksum numeric, partition_rows bigint,
               partition_checksum numeric, copy_rows bigint, copy_checksum numeric, missing bigint, written_since bigint, verdict text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tbl     regclass := to_regclass(table_name);
    names   text[];
    parted  regclass;
    plain   regclass;
    back    boolean;
    leaf    record;
    leaf_q  text;
    plain_q text;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'no table %', coalesce(table_name, '(none given)') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    names := (SELECT ARRAY[n.nspname::text, c.relname::text] FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl);
    IF (SELECT relkind FROM pg_class WHERE oid = tbl) = 'p' AND to_regclass(format('%I.%I', names[1], left(names[2], 59) || '_old')) IS NOT NULL THEN
        parted := tbl;
        plain := to_regclass(format('%I.%I', names[1], left(names[2], 59) || '_old'));
        back := false;
    ELSIF (SELECT relkind FROM pg_class WHERE oid = tbl) = 'r' AND to_regclass(format('%I.%I', names[1], left(names[2], 51) || '_partitioned')) IS NOT NULL THEN
        parted := to_regclass(format('%I.%I', names[1], left(names[2], 51) || '_partitioned'));
        plain := tbl;
        back := true;
    ELSE
        RAISE EXCEPTION '% was neither migrated by a plan (no %_old beside it) nor rolled back (no %_partitioned): nothing to verify',
            tbl, names[2], names[2] USING ERRCODE = 'invalid_parameter_value';
    END IF;
    compared := CASE WHEN back THEN format('%s (restored) against %s', plain, parted) ELSE format('%s against %s (the source)', parted, plain) END;
    FOR leaf IN SELECT c.oid::regclass AS rel, format('%I.%I', n.nspname, c.relname) AS name, pg_get_expr(c.relpartbound, c.oid) AS bound,
                       coalesce(pg_get_partition_constraintdef(c.oid), 'true') AS condition
                FROM pg_partition_tree(parted) tree JOIN pg_class c ON c.oid = tree.relid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE tree.isleaf ORDER BY pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', c.relname LOOP
        leaf_q := format('SELECT * FROM ONLY %s', leaf.rel);
        plain_q := format('SELECT * FROM ONLY %s WHERE %s', plain, leaf.condition);
        partition_name := leaf.name;
        bound := leaf.bound;
        SELECT f.row_count, f.row_checksum INTO partition_rows, partition_checksum FROM online.fingerprint(leaf_q) f;
        SELECT f.row_count, f.row_checksum INTO copy_rows, copy_checksum FROM online.fingerprint(plain_q) f;
        IF back THEN
            source_rows := partition_rows; source_checksum := partition_checksum;
            EXECUTE format('SELECT count(*) FROM (%s EXCEPT ALL %s) AS t', leaf_q, plain_q) INTO missing;
            written_since := copy_rows - partition_rows + missing;
        ELSE
            source_rows := copy_rows; source_checksum := copy_checksum;
            EXECUTE format('SELECT count(*) FROM (%s EXCEPT ALL %s) AS t', plain_q, leaf_q) INTO missing;
            written_since := partition_rows - copy_rows + missing;
        END IF;
        verdict := CASE WHEN missing > 0 THEN format('ROWS MISSING: %s rows of the source are not there, or changed', missing)
                        WHEN partition_rows = copy_rows AND partition_checksum = copy_checksum THEN 'identical'
                        ELSE format('every source row, and %s written since', written_since) END;
        RETURN NEXT;
    END LOOP;
END
$$;
