-- Routines of earlier versions of schema online, dropped so that a reinstall leaves no two candidates for one call
-- (PostgreSQL would refuse it as ambiguous) and no routine of the wrong kind under a name (revert_swap was a
-- function before it was a procedure).
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT oid::regprocedure AS routine FROM pg_proc
             WHERE pronamespace = to_regnamespace('online')
               AND (oid::regprocedure::text IN ('online.finish_swap(bigint)',
                                                'online.apply_changes(bigint,regclass,text,bigint,bigint)')
                    OR proname = 'revert_swap' AND prokind = 'f')
    LOOP
        EXECUTE format('DROP FUNCTION %s', r.routine);
    END LOOP;
END
$$;
