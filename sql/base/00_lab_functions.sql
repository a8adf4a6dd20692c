-- Helpers the base tables, the migrations and the load simulator share, in schema lab (the application's
-- tables live in app). Run this file first; every other file in sql/base and sql/migrate needs it, and it needs
-- the lock discipline of schema online (psql -f sql/online/install.sql before it; Migration.installFunctions does both).
-- Safe to run again: every object is created or replaced.
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS lab;

-- One of choices, each as likely as its weight: the skew of real data (a few values far more common than the rest).
-- random() follows setseed(), so a seeded session draws the same values every time.
CREATE OR REPLACE FUNCTION lab.pick(choices text[], weights int[]) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    target float8 := random() * (SELECT sum(w) FROM unnest(weights) AS w);
    reached int := 0;
BEGIN
    FOR i IN 1 .. array_length(choices, 1) LOOP
        reached := reached + weights[i];
        IF target < reached THEN
            RETURN choices[i];
        END IF;
    END LOOP;
    RETURN choices[array_length(choices, 1)];
END
$$;

-- Event types of app.event_logs: mostly views and clicks, few purchases, rare errors.
CREATE OR REPLACE FUNCTION lab.random_event_type() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT lab.pick(ARRAY['page_view', 'click', 'login', 'search', 'purchase', 'signup', 'error'],
                    ARRAY[45, 25, 10, 8, 5, 4, 3])
$$;

-- Country codes of app.users_distributed: a third of the users in the US, a long tail of small countries.
CREATE OR REPLACE FUNCTION lab.random_country() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT lab.pick(ARRAY['US', 'IN', 'GB', 'DE', 'BR', 'FR', 'JP', 'CA', 'AU', 'NL', 'MX', 'SE', 'NG', 'KE', 'NZ'],
                    ARRAY[32, 12, 9, 8, 7, 6, 5, 4, 3, 3, 3, 2, 2, 1, 1])
$$;

-- Regions of app.orders_by_region. The list partitions group them: north_america (us-east, us-west, ca-central),
-- europe (eu-west, eu-central, eu-north), asia_pacific (ap-southeast, ap-northeast, ap-south); the rest goes to
-- the DEFAULT partition, other. us-east alone takes about a third of the orders.
CREATE OR REPLACE FUNCTION lab.random_region() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT lab.pick(ARRAY['us-east', 'us-west', 'ca-central', 'eu-west', 'eu-central', 'eu-north',
                          'ap-southeast', 'ap-northeast', 'ap-south', 'sa-east', 'me-south', 'af-south'],
                    ARRAY[30, 12, 4, 15, 10, 3, 8, 6, 4, 4, 2, 2])
$$;

-- Order states of app.orders_by_region: most orders are delivered.
CREATE OR REPLACE FUNCTION lab.random_order_status() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT lab.pick(ARRAY['delivered', 'shipped', 'paid', 'pending', 'cancelled', 'refunded'],
                    ARRAY[55, 15, 10, 10, 6, 4])
$$;

-- Categories of app.sales_data. The composite lesson lists electronics and clothing; the rest share a DEFAULT.
CREATE OR REPLACE FUNCTION lab.random_category() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT lab.pick(ARRAY['electronics', 'clothing', 'home', 'books', 'toys', 'sports', 'beauty'],
                    ARRAY[35, 25, 14, 10, 7, 5, 4])
$$;

-- A time in [from_time, to_time), uniformly.
CREATE OR REPLACE FUNCTION lab.random_time(from_time timestamptz, to_time timestamptz) RETURNS timestamptz
LANGUAGE sql VOLATILE AS $$
    SELECT from_time + random() * (to_time - from_time)
$$;

-- A number in 1..n where small numbers are far more frequent (power law): a few very active users or customers.
CREATE OR REPLACE FUNCTION lab.random_skewed_id(n bigint) RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT 1 + floor(power(random(), 3) * n)::bigint
$$;

-- The name an index of a table takes when the table is renamed with a suffix (_old, _next): the table's name
-- inside the index's name gets the suffix (event_logs_pkey -> event_logs_old_pkey), any other name gets it at the
-- end. The migrations rename a table's indexes with it, so that the partitioned table can take the names the
-- application knows.
CREATE OR REPLACE FUNCTION lab.suffixed_index_name(index_name text, relation text, suffix text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT left(CASE WHEN starts_with(index_name, relation || '_')
                     THEN relation || suffix || substr(index_name, length(relation) + 1)
                     ELSE index_name || suffix END, 63) -- PostgreSQL would cut a longer name there anyway
$$;

-- A table a migration keeps for comparison (<table>_old, <table>_partitioned) stops drawing ids from the sequence it
-- shares with the live table: its nextval defaults are dropped (catalog only; the caller holds the lock). Returns
-- how many.
CREATE OR REPLACE FUNCTION lab.stop_drawing_ids(kept regclass) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    col     name;
    dropped integer := 0;
BEGIN
    FOR col IN SELECT a.attname FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
               WHERE a.attrelid = kept AND pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%' LOOP
        EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', kept, col);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;

-- The first step of every migration (sql/migrate), inside its one transaction. Returns false, with a NOTICE,
-- when the table is already partitioned: the migration has run before and must change nothing. Otherwise it takes
-- ACCESS EXCLUSIVE on the table under the lock discipline (online.lock_relations: each attempt waits at most
-- lock_timeout, attempts are retried within a budget, so a migration never makes readers and writers queue behind
-- a long query; when the budget is spent it gives up with SQLSTATE 55P03 naming the session in the way, and
-- nothing has changed). ACCESS EXCLUSIVE from the start because the RENAME below takes it anyway: asking for a
-- weaker lock first and upgrading at the RENAME would invite deadlocks. The lock is held until the migration
-- commits, so every reader and every writer of the table waits for the whole copy and index build: fine for a
-- small table, an outage for a big one (sql/migrate/online moves a big table without that wait). Then the table
-- steps aside as <name>_old, its indexes and their constraints renamed the same way (event_logs_pkey ->
-- event_logs_old_pkey), so the partitioned table can take the name and the index names the application knows.
-- Nobody ever sees the table missing: the rename commits with the rest of the migration, and a waiting query then
-- finds the partitioned table under the name.
CREATE OR REPLACE FUNCTION lab.begin_migration(table_name text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    tbl          regclass := to_regclass(table_name);
    table_schema name;
    relation     name;
    index_name   name;
BEGIN
    IF tbl IS NULL THEN
        RAISE EXCEPTION '% does not exist: create it first (sql/base)', table_name;
    END IF;
    SELECT n.nspname, c.relname INTO table_schema, relation
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
    IF (SELECT relkind FROM pg_class WHERE oid = tbl) = 'p' THEN
        RAISE NOTICE '%.% is already partitioned: migration done before, nothing changed', table_schema, relation;
        RETURN false;
    END IF;
    IF to_regclass(format('%I.%I', table_schema, relation || '_old')) IS NOT NULL THEN
        RAISE EXCEPTION '%.%_old already exists: refusing to overwrite the kept original', table_schema, relation;
    END IF;

    PERFORM online.lock_relations(ARRAY[tbl], ARRAY['ACCESS EXCLUSIVE'],
                                  format('migrate %I.%I in one transaction', table_schema, relation));
    FOR index_name IN
        SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = tbl
    LOOP
        -- renaming the index of a PRIMARY KEY or UNIQUE constraint renames the constraint too
        EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', table_schema, index_name,
                       lab.suffixed_index_name(index_name, relation, '_old'));
    END LOOP;
    EXECUTE format('ALTER TABLE %s RENAME TO %I', tbl, relation || '_old');
    RETURN true;
END
$$;

-- The last step of every migration, once the partitioned table holds the copied rows and its indexes: the id
-- sequence now belongs to the new table (new ids continue where the old ones stopped) and the kept original
-- stops drawing from it (it is read-only data now); fresh statistics for the planner; and the report.
CREATE OR REPLACE FUNCTION lab.finish_migration(table_name text, rows_copied bigint, layout text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    kept     regclass := to_regclass(table_name || '_old');
    sequence text     := pg_get_serial_sequence(table_name || '_old', 'id');
BEGIN
    IF sequence IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %s ALTER COLUMN id DROP DEFAULT', kept);
        EXECUTE format('ALTER SEQUENCE %s OWNED BY %s.id', sequence, to_regclass(table_name));
    END IF;
    EXECUTE format('COMMENT ON TABLE %s IS %L', to_regclass(table_name), 'Partition Lab: partitioned ' || layout);
    EXECUTE format('COMMENT ON TABLE %s IS %L', kept, 'Partition Lab: ' || table_name || ' before it was partitioned, kept for comparison');
    EXECUTE format('ANALYZE %s', to_regclass(table_name));
    RAISE NOTICE '%: % rows copied, partitioned %; the original kept as %_old', table_name, rows_copied, layout, table_name;
END
$$;
