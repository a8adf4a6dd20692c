-- Lesson 11, step 8: a table RANGE-partitioned by day, with lab.partitions daily partitions from 2000-01-01
-- and no rows, named by lab.planning_table (in schema app): what the planner's time and memory are measured on.
-- Kept when it already has exactly that many partitions (creating thousands takes a while); the DO block
-- commits every 500 partitions, so their locks never pile up in one transaction. Run outside a transaction.
--   psql: SET lab.planning_table = 'planning_365'; SET lab.partitions = '365';  \i 14_planning_table.sql
DO $$
DECLARE
    tbl   text := current_setting('lab.planning_table');
    wants int  := current_setting('lab.partitions')::int;
    has   int;
    day   date;
BEGIN
    SELECT count(*) INTO has FROM pg_inherits WHERE inhparent = to_regclass(format('app.%I', tbl));
    IF has = wants THEN
        RETURN;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS app.%I', tbl);
    EXECUTE format('CREATE TABLE app.%I (day date NOT NULL, n integer NOT NULL) PARTITION BY RANGE (day)', tbl);
    COMMIT;
    FOR i IN 0..wants - 1 LOOP
        day := date '2000-01-01' + i;
        EXECUTE format('CREATE TABLE app.%I PARTITION OF app.%I FOR VALUES FROM (%L) TO (%L)',
                       tbl || '_' || to_char(day, 'YYYYMMDD'), tbl, day, day + 1);
        IF i % 500 = 499 THEN
            COMMIT;
        END IF;
    END LOOP;
END
$$;

SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = format('app.%I', current_setting('lab.planning_table'))::regclass;
