-- A test (or a curious learner) can make a step fail: SET online.fail_at = 'window' rolls the window back,
-- 'verify' makes the verification report a mismatch, so that the swap is reverted. Nothing else reads it.
CREATE OR REPLACE FUNCTION online.fail_point(step text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN coalesce(current_setting('online.fail_at', true) = step, false);
END
$$;
