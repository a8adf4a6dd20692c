-- A swap's capture, before any trigger fires it: the table every change goes into (online.delta_<swap>, numbered in
-- the order writers ask for numbers) and the trigger function that writes it while the swap is under way (staging,
-- swapped, verified), recorded in online.swaps. Catalog work on objects nobody uses yet: no lock anyone waits for.
-- The triggers themselves are the caller's (begin_swap puts them on the old partitions; the advisor's rollback,
-- sql/advisor, on the partitions of the table it puts back), named online_capture_<swap>, so that
-- online.drop_capture finds them all.
CREATE OR REPLACE FUNCTION online.create_capture(swap bigint) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $capture$
DECLARE
    delta_name   text := format('online.delta_%s', swap);
    capture_name text := format('online.capture_%s', swap);
    s            online.swaps := online.swap_record(swap, NULL, NULL);
BEGIN
    UPDATE online.swaps w SET delta = delta_name, capture_function = capture_name WHERE w.swap_id = swap;
    EXECUTE format('CREATE TABLE %s (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, op "char" NOT NULL, '
                   'old_row jsonb, new_row jsonb, at timestamptz NOT NULL DEFAULT clock_timestamp())', delta_name);
    EXECUTE format('COMMENT ON TABLE %s IS %L', delta_name, format('Partition Lab: every change to the rows of swap %s (%s of %s)', swap, s.label, s.parent));
    -- SECURITY DEFINER: the application's writers fire it, and need no rights on schema online
    EXECUTE format($f$CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $c$
        BEGIN
            IF EXISTS (SELECT 1 FROM online.swaps WHERE swap_id = %2$s AND state IN ('staging', 'swapped', 'verified')) THEN
                INSERT INTO %3$s (op, old_row, new_row)
                VALUES (left(TG_OP, 1), CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END, CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
            END IF;
            RETURN NULL;
        END
        $c$$f$, capture_name, swap, delta_name);
    RETURN capture_name;
END
$capture$;
