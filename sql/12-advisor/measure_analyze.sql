-- The advisor's measurement, on the scratch server: statistics for both copies once the sample is in, so that the
-- planner sees the sample as it is. Parameters: lab.as_is, lab.partitioned (schema-qualified).
DO $$
BEGIN
    EXECUTE format('ANALYZE %s', to_regclass(current_setting('lab.as_is')));
    EXECUTE format('ANALYZE %s', to_regclass(current_setting('lab.partitioned')));
END
$$;
