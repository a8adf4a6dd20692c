-- Maintain.java bench: pg_partman's daily maintenance of maintbench.partman_events, as its docs schedule it
-- (run_maintenance for the one table; no ANALYZE, pg_partman's default on PostgreSQL 11 and later).
-- Parameters (custom settings): lab.partman_schema.
DO $$
BEGIN
    EXECUTE format('SELECT %I.run_maintenance(%L, p_analyze := false, p_jobmon := false)', current_setting('lab.partman_schema'),
                   'maintbench.partman_events');
END
$$;
