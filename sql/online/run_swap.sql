-- The end of an online swap from psql, once its window has committed: the verification, then finish, or, when the
-- rows differ, revert. Each step committed on its own (CALL it outside a transaction block). A swap not swapped yet
-- (still staging) or settled before (finished, reverted) is left as it is.
CREATE OR REPLACE PROCEDURE online.settle_swap(swap bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v record;
BEGIN
    IF NOT EXISTS (SELECT FROM online.swaps WHERE swap_id = swap AND state IN ('swapped', 'verified')) THEN
        RETURN;
    END IF;
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

-- A whole online swap from psql, each step committed on its own (CALL it outside a transaction block):
-- stage in batches, the window, then settle (verify; finish, or revert). The runbooks run the same steps one by one,
-- with progress and a report.
CREATE OR REPLACE PROCEDURE online.run_swap(swap bigint)
LANGUAGE plpgsql AS $$
DECLARE
    w record;
BEGIN
    CALL online.stage(swap);
    SELECT * INTO w FROM online.swap_window(swap);
    COMMIT;
    RAISE NOTICE 'swap %: window wrote % rows in % ms (% lock attempts)', swap, w.window_rows, round(w.window_ms::numeric, 1), w.lock_attempts;
    CALL online.settle_swap(swap);
END
$$;
