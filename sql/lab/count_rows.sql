-- Exact row count of one table, named by the setting lab.table_name (schema-qualified). The name is
-- resolved with to_regclass, so a name that is not a table fails cleanly instead of running as SQL.
SELECT (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(*) AS c FROM %s', to_regclass(current_setting('lab.table_name'))::text),
                           false, true, '')))[1]::text::bigint AS row_count
WHERE to_regclass(current_setting('lab.table_name')) IS NOT NULL;
