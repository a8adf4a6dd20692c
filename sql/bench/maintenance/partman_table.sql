-- Maintain.java bench, pg_partman's side: maintbench.partman_events, the twin of lab_table.sql's table (its columns
-- and indexes, LIKE it; run lab_table.sql first), partitioned by pg_partman 4.x itself (create_parent: native,
-- monthly, 3 months ahead, from 23 months ago, with its DEFAULT) with retention 12 months (partitions dropped), the
-- same rows, and its newest partition dropped so that run_maintenance has the same month to create. Needs the
-- extension pg_partman in this database, in schema lab.partman_schema.
-- Parameters (custom settings): lab.rows, lab.partman_schema.
CREATE SCHEMA IF NOT EXISTS maintbench;
DO $$
DECLARE
    partman    text := current_setting('lab.partman_schema');
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
BEGIN
    EXECUTE format('DELETE FROM %I.part_config WHERE parent_table = %L', partman, 'maintbench.partman_events');
    EXECUTE format('DROP TABLE IF EXISTS %I.template_maintbench_partman_events', partman);
    DROP TABLE IF EXISTS maintbench.partman_events;
    CREATE TABLE maintbench.partman_events (LIKE maintbench.lab_events INCLUDING ALL) PARTITION BY RANGE (created_at);
    EXECUTE format('SELECT %I.create_parent(%L, %L, %L, %L, p_premake := 3, p_start_partition := %L, p_jobmon := false)', partman,
                   'maintbench.partman_events', 'created_at', 'native', 'monthly', to_char(this_month - interval '23 months', 'YYYY-MM-DD'));
    EXECUTE format('UPDATE %I.part_config SET retention = %L, retention_keep_table = false, infinite_time_partitions = true '
                   'WHERE parent_table = %L', partman, '12 months', 'maintbench.partman_events');
    EXECUTE format('DROP TABLE maintbench.%I', 'partman_events_p' || to_char(this_month + interval '3 months', 'YYYY_MM'));
END
$$;
INSERT INTO maintbench.partman_events (created_at, user_id, payload) SELECT * FROM maintbench.events(current_setting('lab.rows')::int);
ANALYZE maintbench.partman_events;
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'maintbench.partman_events'::regclass;
