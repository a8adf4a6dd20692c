-- An events table shaped like app.events, for the generator's tests and load measurements: <lab.schema>.<lab.table_name>,
-- partitioned by month on occurred_at from lab.from_month to lab.to_month (YYYY-MM) plus a default partition
-- (unless lab.default_partition is 'off'), and no index at all, so that a load measures COPY rather than index
-- upkeep. Recreated empty on every run. From psql:
--   psql "$DSN" -c "SET lab.schema = 'bench'" -c "SET lab.table_name = 'events'" \
--        -c "SET lab.from_month = '2024-01'" -c "SET lab.to_month = '2024-12'" -f sql/generate/events_fixture.sql
DO $$
DECLARE
    schema_name text := current_setting('lab.schema');
    table_name  text := current_setting('lab.table_name');
    month       date := (current_setting('lab.from_month') || '-01')::date;
    last_month  date := (current_setting('lab.to_month') || '-01')::date;
    with_default boolean := coalesce(nullif(current_setting('lab.default_partition', true), ''), 'on')::boolean;
BEGIN
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', schema_name);
    EXECUTE format('DROP TABLE IF EXISTS %I.%I', schema_name, table_name);
    EXECUTE format('CREATE TABLE %I.%I (
                        id          uuid        NOT NULL,
                        tenant_id   int         NOT NULL,
                        occurred_at timestamptz NOT NULL,
                        event_type  text        NOT NULL,
                        payload     jsonb
                    ) PARTITION BY RANGE (occurred_at)', schema_name, table_name);
    WHILE month <= last_month LOOP
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                       schema_name, table_name || '_' || to_char(month, 'YYYY_MM'), schema_name, table_name,
                       month, (month + interval '1 month')::date);
        month := (month + interval '1 month')::date;
    END LOOP;
    IF with_default THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I DEFAULT',
                       schema_name, table_name || '_default', schema_name, table_name);
    END IF;
END
$$;
