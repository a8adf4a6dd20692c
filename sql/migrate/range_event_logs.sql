-- Migration RANGE: app.event_logs becomes a table partitioned by month on created_at, in ONE transaction (this
-- DO block): the ordinary table steps aside as app.event_logs_old (kept for comparison), the partitioned table
-- takes its name, id sequence and index names, and every row is copied.
--
-- Locks: ACCESS EXCLUSIVE on app.event_logs from lab.begin_migration to the commit (taken under the lock
-- discipline: lock_timeout, retries, a budget; given up, nothing changed). Every reader and every writer waits for
-- the whole copy and index build, then finds the partitioned table under the name. Fine for a small table; for a
-- big one, sql/migrate/online/ partitions it while readers and writers go on.
--
-- Partitions: 2024_01, 2024_02, 2024_03 and a DEFAULT. Rows of April to December land in the DEFAULT: creating
-- the April partition later means PostgreSQL must scan the DEFAULT for April rows, and the CREATE fails while
-- any is there (they must be moved first). Maintenance and re-partitioning lessons deal with that.
--
-- Safe to run twice: when app.event_logs is already partitioned it says so and changes nothing.
-- Needs sql/online/install.sql, sql/base/00_lab_functions.sql and sql/base/event_logs.sql.
DO $migration$
DECLARE
    copied bigint;
BEGIN
    IF NOT lab.begin_migration('app.event_logs') THEN
        RETURN; -- already partitioned: nothing to do
    END IF;

    -- The primary key must include the partition key: (id) alone is refused on a table partitioned by created_at.
    CREATE TABLE app.event_logs (
        id         bigint      NOT NULL DEFAULT nextval('app.event_logs_id_seq'),
        event_type text        NOT NULL,
        user_id    bigint      NOT NULL,
        created_at timestamptz NOT NULL,
        payload    jsonb,
        PRIMARY KEY (id, created_at)
    ) PARTITION BY RANGE (created_at);

    CREATE TABLE app.event_logs_2024_01 PARTITION OF app.event_logs
        FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
    CREATE TABLE app.event_logs_2024_02 PARTITION OF app.event_logs
        FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');
    CREATE TABLE app.event_logs_2024_03 PARTITION OF app.event_logs
        FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
    CREATE TABLE app.event_logs_default PARTITION OF app.event_logs DEFAULT;

    INSERT INTO app.event_logs (id, event_type, user_id, created_at, payload)
    SELECT id, event_type, user_id, created_at, payload FROM app.event_logs_old;
    GET DIAGNOSTICS copied = ROW_COUNT;

    -- Declared once on the parent, after the copy (one build per partition instead of row-by-row upkeep).
    CREATE INDEX event_logs_created_at_idx ON app.event_logs (created_at);
    CREATE INDEX event_logs_user_id_idx ON app.event_logs (user_id);
    CREATE INDEX event_logs_event_type_idx ON app.event_logs (event_type);

    PERFORM lab.finish_migration('app.event_logs', copied, 'by month on created_at (2024_01..2024_03 and a DEFAULT)');
END
$migration$;
