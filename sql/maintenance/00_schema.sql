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
    updated_at         timestamptz NOT NULL DEFAULT now()
);

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

-- One line of a report: what the manager did (or would do) to which partition, how many rows, how long it took.
DO $$
BEGIN
    IF to_regtype('maintenance.action_line') IS NULL THEN
        CREATE TYPE maintenance.action_line AS (
            parent_table   text,
            action         text,
            partition_name text,
            rows           bigint,
            duration_ms    double precision,
            detail         text
        );
    END IF;
END
$$;

-- The advisory lock every maintenance run holds, so that two runs (cron, an operator, pg_cron) never interleave.
CREATE OR REPLACE FUNCTION maintenance.lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT 5013640771::bigint -- a fixed number that every client agrees on
$$;
