-- The online discipline for changing live partitioned tables (schema online): locks under lock_timeout with retries
-- within a budget, and the online swap (capture, staging in batches, a short window, verification, finish or revert).
--
--   psql -v ON_ERROR_STOP=1 -f sql/online/install.sql
--
-- Running it again keeps the record of swaps and replaces the functions. One concept per file, in the order they
-- need each other. The repartition scenarios (sql/repartition), the migrations (sql/migrate) and the partition
-- manager (sql/maintenance) all use it.
\ir 00_schema.sql
\ir retired.sql
\ir settings.sql
\ir fail_point.sql
\ir lock_conflicts.sql
\ir blockers.sql
\ir lock_relations.sql
\ir window_marks.sql
\ir tables.sql
\ir ranges.sql
\ir apply_changes.sql
\ir create_capture.sql
\ir begin_swap.sql
\ir stage_batch.sql
\ir swap_window.sql
\ir verify_swap.sql
\ir finish_swap.sql
\ir abort_swap.sql
\ir revert_swap.sql
\ir run_swap.sql
