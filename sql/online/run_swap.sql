-- A whole online swap from psql, each step committed on its own (CALL it outside a transaction block):
-- stage in batches, the window, the verification, then finish; or, when the verification fails, revert.
-- The runbooks run the same steps one by one, with progress and a report.
CREATE OR REPLACE PROCEDURE online.run_swap(swap bigint)
LANGUAGE plpgsql AS $$
DECLARE
    w record;
    v record;
BEGIN
    CALL online.stage(swap);
    SELECT * INTO w FROM online.swap_window(swap);
    COMMIT;
    RAISE NOTICE 'swap %: window wrote % rows in % ms (% lock attempts)', swap, w.window_rows, round(w.window_ms::numeric, 1), w.lock_attempts;
    SELECT * INTO v FROM online.verify_swap(swap);
    COMMIT;
    IF v.matches THEN
        RAISE NOTICE '%', online.finish_swap(swap);
    ELSE
        RAISE NOTICE 'swap %: % rows (checksum %) before, % rows (checksum %) after: reverting', swap, v.rows_before,
            v.checksum_before, v.rows_after, v.checksum_after;
        CALL online.revert_swap(swap);
    END IF;
END
$$;
