-- What an application does to one month of app.event_logs while a re-partitioning scenario runs, for the tests: per
-- round, one new row in the month, its first row changed again, one row deleted (a seeded one while there are any);
-- each touches exactly one row of the month, so a capture on the partition holding the month records 3 changes a
-- round, for as many rounds as asked. Returns the rows changed.
-- lab.change_events(month 'YYYY-MM', rounds). Needs the partitioned app.event_logs.
CREATE OR REPLACE FUNCTION lab.change_events(month text, rounds int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    first_day timestamptz := (month || '-01 00:00:00+00')::timestamptz;
    next_day  timestamptz := (month || '-01 00:00:00+00')::timestamptz + interval '1 month';
    changed   bigint := 0;
    done      bigint;
BEGIN
    FOR i IN 1 .. rounds LOOP
        INSERT INTO app.event_logs (event_type, user_id, created_at, payload)
        VALUES ('click', 1, first_day + (i % 500) * interval '1 hour', '{"changed": "inserted"}');
        GET DIAGNOSTICS done = ROW_COUNT;
        changed := changed + done;
        UPDATE app.event_logs SET payload = jsonb_build_object('changed', 'updated', 'round', i)
        WHERE (id, created_at) = (SELECT id, created_at FROM app.event_logs
                                  WHERE created_at >= first_day AND created_at < next_day ORDER BY id LIMIT 1);
        GET DIAGNOSTICS done = ROW_COUNT;
        changed := changed + done;
        -- a seeded row while there are any, else one inserted here (never the one updated: the month keeps two or more)
        DELETE FROM app.event_logs
        WHERE (id, created_at) = (SELECT id, created_at FROM app.event_logs
                                  WHERE created_at >= first_day AND created_at < next_day
                                  ORDER BY payload->>'changed' IS NULL DESC, id DESC LIMIT 1);
        GET DIAGNOSTICS done = ROW_COUNT;
        changed := changed + done;
    END LOOP;
    RETURN changed;
END
$$;
