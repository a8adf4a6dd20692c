-- The first day that retention keeps: partitions wholly before it go. With 12 months and today 2026-11-21 it is
-- 2025-11-01 (the current month and the 12 before it stay). NULL when the table keeps everything. An override of
-- 0 or less is refused (SQLSTATE 22023): it would drop the current month's data; so is a today outside the dates the
-- manager accepts (checked_day). Every plan that depends on today (month_steps, retention_plan) starts here.
CREATE OR REPLACE FUNCTION maintenance.retention_cutoff(cfg maintenance.partition_config, today date,
                                                        retention_months integer DEFAULT NULL)
RETURNS date LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    months integer := maintenance.checked_retention(coalesce(retention_months, cfg.retention_months));
BEGIN
    PERFORM maintenance.checked_day(today);
    RETURN (date_trunc('month', today) - make_interval(months => months))::date;
END
$$;
