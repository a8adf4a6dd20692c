-- Schema online: how the lab changes a live partitioned table without making its readers and writers queue.
-- Heavy work (copies, constraint validation) runs first, under locks that let readers and writers go on, while
-- a trigger captures every change to the rows being moved; the exclusive window then does only catalog work and
-- the catch-up of those changes; every lock is taken under lock_timeout and retried within a budget; the old
-- data is kept, detached, until a count and checksum prove the new partitions hold the same rows.
-- Created only if missing, so reinstalling keeps the record of swaps in progress.
CREATE SCHEMA IF NOT EXISTS online;

-- One row per swap: which partitions of a table are replaced by which new ones, and how far it has come.
-- state: staging (capture on, copies being made), swapped (the window committed; old partitions kept, detached),
-- verified, finished (old data and capture gone), aborted (given up before the window: nothing changed),
-- reverted (verification failed: the old partitions are back).
CREATE TABLE IF NOT EXISTS online.swaps (
    swap_id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent           regclass    NOT NULL,
    label            text        NOT NULL,
    old_leaves       text[]      NOT NULL,                -- the partitions replaced, as they were named
    old_kept         text[],                              -- their names once detached (kept until verified)
    old_lowers       text[]      NOT NULL,                -- their bounds (NULL lower and upper: the DEFAULT)
    old_uppers       text[]      NOT NULL,
    old_conditions   text[]      NOT NULL,                -- what each held, over alias t
    new_names        text[]      NOT NULL,                -- the new partitions' names once attached
    staged_names     text[]      NOT NULL,                -- their names while staged
    new_lowers       text[]      NOT NULL,                -- bounds as literals; NULL lower and upper: the DEFAULT
    new_uppers       text[]      NOT NULL,
    new_conditions   text[]      NOT NULL,                -- what each new partition holds, over alias t
    sources          text[]      NOT NULL DEFAULT '{}',   -- tables other than the old partitions rows come from
    default_helper   text,                                -- CHECK added to a DEFAULT that stays, to spare its scan
    capture_function text        NOT NULL,
    delta            text        NOT NULL,                -- the table the capture writes every change into
    state            text        NOT NULL DEFAULT 'staging'
                                 CHECK (state IN ('staging', 'swapped', 'verified', 'finished', 'aborted', 'reverted')),
    progress         jsonb       NOT NULL DEFAULT '{}',   -- per source: the last key copied, or true when done
    rows_staged      bigint      NOT NULL DEFAULT 0,
    window_seq       bigint,                              -- the last change the window caught up with
    window_rows      bigint,                              -- changes the window caught up with: the delta, never the copy
    window_attempts  integer,
    window_ms        double precision,
    rows_before      bigint,
    checksum_before  numeric,
    rows_after       bigint,
    checksum_after   numeric,
    started_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz
);
COMMENT ON TABLE online.swaps IS 'Partition Lab: online partition swaps, in progress and done (sql/online)';
