-- The partition manager: config-driven creation ahead of time, rescue of rows from the DEFAULT partition,
-- retention (drop, detach or archive), health, validation and metadata for monthly RANGE-partitioned tables.
-- Everything lives in schema maintenance; removing it (uninstall.sql) leaves every partition and row in place.
-- Every change to a live table follows the lab's lock discipline, from schema online (sql/online), installed first.
--
--   psql -v ON_ERROR_STOP=1 -f sql/maintenance/install.sql      (or: jbang scripts/Maintain.java install)
--
-- Running it again keeps the configuration and replaces the functions. One function per file, in the order
-- they need each other.
\ir ../online/install.sql
\ir 00_schema.sql
\ir retired.sql
\ir line.sql
\ir line_text.sql
\ir say.sql
\ir run_id.sql
\ir name_parts.sql
\ir config_for.sql
\ir configured_tables.sql
\ir run_started.sql
\ir run_finished.sql
\ir run_refused.sql
\ir runs.sql
\ir partition_name.sql
\ir bound_value.sql
\ir bound_literal.sql
\ir month_condition.sql
\ir month_of_key.sql
\ir months_between.sql
\ir partitions.sql
\ir checked_retention.sql
\ir checked_day.sql
\ir current_day.sql
\ir register_table.sql
\ir set_config.sql
\ir retention_cutoff.sql
\ir lock_relations.sql
\ir default_months.sql
\ir month_steps.sql
\ir create_months.sql
\ir begin_rescue.sql
\ir rescue_lines.sql
\ir expired_partitions.sql
\ir retention_plan.sql
\ir retire_partitions.sql
\ir drop_retired.sql
\ir drop_old_partitions.sql
\ir apply_retention.sql
\ir analyze_after.sql
\ir planned_months.sql
\ir make_months.sql
\ir create_partitions.sql
\ir create_missing_partitions.sql
\ir list_partitions.sql
\ir refresh_metadata.sql
\ir maintenance_targets.sql
\ir validate_partitions.sql
\ir partition_health_summary.sql
\ir daily_plan.sql
\ir run_maintenance.sql
\ir run_maintenance_proc.sql
