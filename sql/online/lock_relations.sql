-- The lock discipline: take every lock an exclusive step needs, in the order writers take them (a parent before
-- its partitions), each attempt under lock_timeout. When an attempt times out, everything it took is released
-- (the attempt is a subtransaction), so that readers and writers queued behind it go on; it waits (backoff with
-- jitter, doubling from 20 ms up to 1 s) and tries again, until the budget is spent. Then it gives up with
-- SQLSTATE 55P03 (lock_not_available) and a message naming the session in the way; the caller's transaction
-- rolls back, so nothing has changed. The locks it took are held until the caller's transaction ends, and
-- lock_timeout stays set until then, so that no lock the step takes later can make anyone queue either.
-- Call it first in a transaction, before anything else reads the tables. Returns the attempts it needed.
CREATE OR REPLACE FUNCTION online.lock_relations(relations regclass[], modes text[], what text,
                                                 timeout_ms bigint DEFAULT NULL, budget_ms bigint DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    timeout  bigint := coalesce(timeout_ms, online.setting('lock_timeout_ms'));
    budget   bigint := coalesce(budget_ms, online.setting('lock_budget_ms'));
    started  timestamptz := clock_timestamp();
    attempts integer := 0;
    backoff  double precision := 0.02;
    previous text := current_setting('lock_timeout');
    i        integer;
BEGIN
    IF cardinality(relations) IS DISTINCT FROM cardinality(modes)
       OR EXISTS (SELECT FROM unnest(modes) AS m WHERE online.conflicting_modes(m) IS NULL) THEN
        RAISE EXCEPTION 'one lock mode per relation, each a table lock mode such as ACCESS EXCLUSIVE: %', modes
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    LOOP
        attempts := attempts + 1;
        BEGIN
            PERFORM set_config('lock_timeout', timeout || 'ms', true);
            FOR i IN 1 .. coalesce(cardinality(relations), 0) LOOP
                EXECUTE format('LOCK TABLE ONLY %s IN %s MODE', relations[i], upper(modes[i]));
            END LOOP;
            RETURN attempts; -- lock_timeout stays set for the rest of the transaction: no later lock may queue either
        EXCEPTION WHEN lock_not_available THEN
            PERFORM set_config('lock_timeout', previous, true);
            IF extract(epoch FROM clock_timestamp() - started) * 1000 + backoff * 1000 >= budget THEN
                RAISE EXCEPTION '%: gave up after % attempts in % ms (lock_timeout % ms, budget % ms), nothing changed; in the way: %',
                    what, attempts, round(extract(epoch FROM clock_timestamp() - started) * 1000), timeout, budget,
                    online.describe_blocker(relations, modes)
                    USING ERRCODE = 'lock_not_available';
            END IF;
            RAISE NOTICE '%: lock not granted within % ms (attempt %), retrying', what, timeout, attempts;
        END;
        PERFORM pg_sleep(backoff * (0.5 + random()));
        backoff := least(backoff * 2, 1.0);
    END LOOP;
END
$$;
