-- A line as one line of text, for the NOTICEs of the procedures (psql and pg_cron have no result table for them).
CREATE OR REPLACE FUNCTION maintenance.line_text(l maintenance.action_line) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT concat_ws(' ', l.parent_table || ':', l.action, l.partition_name,
                     CASE WHEN l.rows IS NOT NULL THEN format('(%s rows)', l.rows) END,
                     CASE WHEN l.detail IS NOT NULL THEN '- ' || l.detail END,
                     CASE WHEN l.window_ms IS NOT NULL
                          THEN format('[window %s ms, %s rows touched, %s lock attempts]', round(l.window_ms::numeric, 1),
                                      l.window_rows, l.lock_attempts) END)
$$;
