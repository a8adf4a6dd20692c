-- Maintain.java create-missing when it may only plan (its --today is not the server's date and time travel was not
-- allowed): every missing month of lab.table (every enabled table when unset) as of lab.today, as month_steps plans it
-- with fill_gaps ('would create', 'would rescue', skip and keep lines). Reads only: no run id, no run_log line.
-- Parameters (custom settings, empty or unset for the default): lab.table, lab.today.
SELECT (l.line).*
FROM maintenance.configured_tables(nullif(current_setting('lab.table', true), '')) c
CROSS JOIN LATERAL maintenance.month_steps(c, coalesce(nullif(current_setting('lab.today', true), '')::date, current_date), NULL, true) s
CROSS JOIN LATERAL (SELECT maintenance.line(c.parent_table, CASE WHEN s.step IN ('rescue', 'create') THEN 'would ' || s.step ELSE s.step END,
                                            s.partition_name, s.rows, 0, s.detail) AS line) l;
