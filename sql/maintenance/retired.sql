-- Functions an earlier version of the manager installed and this one replaces: dropped, so that a reinstall leaves no
-- stale copy (and no overload that makes a call ambiguous). create_partitions and create_missing_partitions are
-- procedures now, committing between steps; register_table, set_config, list_partitions and
-- refresh_metadata took fewer arguments.
DO $$
DECLARE
    retired regprocedure;
BEGIN
    FOR retired IN
        SELECT p.oid FROM pg_proc p
        WHERE p.prokind = 'f'
          AND p.oid = ANY (ARRAY[to_regprocedure('maintenance.create_partition(maintenance.partition_config, date)'),
                                 to_regprocedure('maintenance.create_partitions(text, text, text)'),
                                 to_regprocedure('maintenance.create_future_partitions(text, date)'),
                                 to_regprocedure('maintenance.create_missing_partitions(text, date)'),
                                 to_regprocedure('maintenance.move_default_rows(text, date)'),
                                 to_regprocedure('maintenance.register_table(text, name, integer, integer, text, text, text, name)'),
                                 to_regprocedure('maintenance.set_config(text, integer, integer, boolean)'),
                                 to_regprocedure('maintenance.list_partitions(text)'),
                                 to_regprocedure('maintenance.refresh_metadata(text)')])
    LOOP
        EXECUTE format('DROP FUNCTION %s', retired);
    END LOOP;
END
$$;
