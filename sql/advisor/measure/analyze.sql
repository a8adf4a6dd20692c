-- The advisor's measurement, on the scratch server, once the sample is in both copies: VACUUM (ANALYZE) of each, as
-- the statements to run (VACUUM cannot run inside a function). Statistics for the planner; a visibility map, as a
-- table long in use has (index-only scans); and no empty pages left at the end by COPY's bulk extension, so that
-- the retention step starts from a settled heap. Parameters: lab.as_is, lab.partitioned (schema-qualified).
SELECT format('VACUUM (ANALYZE) %s', to_regclass(t)) AS statement
FROM unnest(ARRAY[current_setting('lab.as_is'), current_setting('lab.partitioned')]) AS t;
