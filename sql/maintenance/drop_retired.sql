-- The end of retention_mode drop: the partitions retire_partitions detached (lines, its lines) dropped, now standalone
-- tables nobody reaches through the parent, so that their DROP and its commit, which unlinks their files, block no
-- reader or writer of the table. Under the lock discipline all the same (ACCESS EXCLUSIVE on each, should a session
-- read one by its own name). Does nothing for detach and archive, whose tables stay.
CREATE OR REPLACE FUNCTION maintenance.drop_retired(cfg maintenance.partition_config, lines maintenance.action_line[])
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    going regclass[] := ARRAY(SELECT to_regclass(l.partition_name) FROM unnest(lines) AS l WHERE to_regclass(l.partition_name) IS NOT NULL);
    t     regclass;
BEGIN
    IF cfg.retention_mode <> 'drop' OR coalesce(cardinality(going), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM maintenance.lock_relations(cfg, going, array_fill('ACCESS EXCLUSIVE'::text, ARRAY[cardinality(going)]),
                                       format('drop %s, detached from %s', array_to_string(going, ', '), cfg.parent_table));
    FOREACH t IN ARRAY going LOOP
        IF EXISTS (SELECT FROM pg_inherits WHERE inhrelid = t) THEN
            RAISE EXCEPTION '% is a partition again: not dropped', t;
        END IF;
        EXECUTE format('DROP TABLE %s', t);
    END LOOP;
END
$$;
