-- Schema maintenance: the configuration that drives the partition manager, what it last saw of each partition,
-- and the shape of the lines its functions report. Created only if missing, so reinstalling keeps the config.
CREATE SCHEMA IF NOT EXISTS maintenance;

-- One row per managed table. Months are calendar months (UTC midnight for timestamptz keys).
CREATE TABLE IF NOT EXISTS maintenance.partition_config (
    parent_table       text        PRIMARY KEY,            -- schema-qualified, as format('%I.%I') writes it
    control_column     name        NOT NULL,               -- the RANGE partition key
    partition_interval interval    NOT NULL DEFAULT '1 month'
                                   CHECK (partition_interval = interval '1 month'),
    retention_months   integer     CHECK (retention_months > 0), -- NULL: keep every partition
    premake_months     integer     NOT NULL DEFAULT 3 CHECK (premake_months BETWEEN 0 AND 120),
    name_pattern       text        NOT NULL DEFAULT '{table}_p{YYYY}_{MM}'
                                   CHECK (strpos(name_pattern, '{YYYY}') > 0 AND strpos(name_pattern, '{MM}') > 0),
    default_pattern    text        DEFAULT '{table}_p_default', -- NULL: the table has no DEFAULT partition
    retention_mode     text        NOT NULL DEFAULT 'drop' CHECK (retention_mode IN ('drop', 'detach', 'archive')),
    archive_schema     name        CHECK ((retention_mode = 'archive') = (archive_schema IS NOT NULL)),
    enabled            boolean     NOT NULL DEFAULT true,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- the lock discipline of the table's exclusive steps (sql/online/lock_relations.sql): how long one attempt at a
    -- lock may wait (0: as long as it takes, which lets a queue form) and all attempts together; a session's
    -- online.lock_timeout_ms / online.lock_budget_ms (--lock-timeout, --lock-budget) win over these
    lock_timeout_ms    integer     NOT NULL DEFAULT 100 CHECK (lock_timeout_ms >= 0),
    lock_budget_ms     integer     NOT NULL DEFAULT 30000 CHECK (lock_budget_ms > 0)
);
-- configurations from before the lock discipline get the same two columns in place
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'maintenance.partition_config'::regclass AND attname = 'lock_timeout_ms') THEN
        ALTER TABLE maintenance.partition_config
            ADD COLUMN lock_timeout_ms integer NOT NULL DEFAULT 100 CHECK (lock_timeout_ms >= 0),
            ADD COLUMN lock_budget_ms integer NOT NULL DEFAULT 30000 CHECK (lock_budget_ms > 0);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = 'maintenance.partition_config'::regclass
                                               AND conname = 'partition_config_budget_allows_one_attempt') THEN
        ALTER TABLE maintenance.partition_config ADD CONSTRAINT partition_config_budget_allows_one_attempt
            CHECK (lock_budget_ms >= lock_timeout_ms);
    END IF;
END
$$;

COMMENT ON TABLE maintenance.partition_config IS
    'Partition Lab partition manager: which tables it keeps, how far ahead, how long, and how old partitions leave';

-- What refresh_metadata() last saw of each partition: size, row estimate, last ANALYZE and VACUUM, bounds.
CREATE TABLE IF NOT EXISTS maintenance.partition_metadata (
    parent_table    text        NOT NULL REFERENCES maintenance.partition_config ON DELETE CASCADE,
    partition_name  text        NOT NULL,
    is_default      boolean     NOT NULL,
    partition_month date,                                   -- NULL for the DEFAULT and for non-monthly bounds
    lower_bound     text,
    upper_bound     text,
    row_estimate    bigint      NOT NULL,
    total_bytes     bigint      NOT NULL,
    last_analyze    timestamptz,
    last_vacuum     timestamptz,
    refreshed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (parent_table, partition_name)
);

-- One line of a report: what the manager did (or would do) to which partition, how many rows, how long it took,
-- and for a step that changed a live table, its exclusive window: the rows the window touched (scanned or wrote),
-- how long it held its locks, and how many attempts the locks took (see maintenance.line).
DO $$
BEGIN
    IF to_regtype('maintenance.action_line') IS NULL THEN
        CREATE TYPE maintenance.action_line AS (
            parent_table   text,
            action         text,
            partition_name text,
            rows           bigint,
            duration_ms    double precision,
            detail         text,
            window_rows    bigint,
            window_ms      double precision,
            lock_attempts  integer
        );
    ELSIF NOT EXISTS (SELECT FROM pg_attribute a JOIN pg_type t ON t.typrelid = a.attrelid
                      WHERE t.oid = 'maintenance.action_line'::regtype AND a.attname = 'window_rows') THEN
        -- an install from before the windows were reported
        ALTER TYPE maintenance.action_line ADD ATTRIBUTE window_rows bigint, ADD ATTRIBUTE window_ms double precision,
            ADD ATTRIBUTE lock_attempts integer;
    END IF;
END
$$;

-- What each run of a procedure said (run_maintenance_proc, create_partitions, create_missing_partitions), one row per
-- line: pg_cron keeps only whether a job failed, and Maintain.java reads its lines here. Lines of runs older than 30
-- days go when a run starts (see say).
CREATE SEQUENCE IF NOT EXISTS maintenance.run_ids;
CREATE TABLE IF NOT EXISTS maintenance.run_log (
    run_id         bigint           NOT NULL,
    seq            bigint           GENERATED ALWAYS AS IDENTITY,
    logged_at      timestamptz      NOT NULL DEFAULT clock_timestamp(),
    -- then the line, one column per attribute of maintenance.action_line (a column of that type would stop the
    -- type from ever gaining an attribute)
    parent_table   text,
    action         text,
    partition_name text,
    rows           bigint,
    duration_ms    double precision,
    detail         text,
    window_rows    bigint,
    window_ms      double precision,
    lock_attempts  integer,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS run_log_logged_at_idx ON maintenance.run_log (logged_at);

-- The lock records: one row per run that held the maintenance advisory lock (Maintain.java's subcommands, the service,
-- pg_cron's run_maintenance_proc), written by the session that holds the lock, right after taking it and again as it
-- lets go, each in a transaction of its own: a row is visible at once and outlives a crash. A row left unfinished
-- whose session is gone (the server restarted, the session was killed) is an interrupted run (maintenance.runs says
-- so). Rows older than 90 days go when a run starts (run_started). trigger: 'cli', 'api', 'schedule', 'pg_cron' or
-- 'psql'; parent_table NULL: every enabled table.
CREATE TABLE IF NOT EXISTS maintenance.run_history (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    what             text        NOT NULL,
    trigger          text        NOT NULL,
    parent_table     text,
    pid              integer     NOT NULL DEFAULT pg_backend_pid(),
    application_name text        DEFAULT current_setting('application_name'),
    started_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at      timestamptz,
    ok               boolean,
    detail           text,
    CHECK ((finished_at IS NULL) = (ok IS NULL))
);
CREATE INDEX IF NOT EXISTS run_history_started_at_idx ON maintenance.run_history (started_at);

-- The advisory lock every maintenance run holds, so that two runs (cron, an operator, pg_cron) never interleave.
CREATE OR REPLACE FUNCTION maintenance.lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT 5013640771::bigint -- a fixed number that every client agrees on
$$;
