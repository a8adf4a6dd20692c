-- The lock records: a run that refused its input leaves none (maintenance.run_refused), on the session that still holds
-- the maintenance lock.
-- Parameters (custom settings, empty or unset for the default): lab.run_id (required).
SELECT true AS forgotten FROM maintenance.run_refused(current_setting('lab.run_id')::bigint);
