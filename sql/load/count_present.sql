-- How many of the ids in lab.ids (comma-separated) are in lab.table_name: the load simulator's proof that every
-- row it reported written is in the table. The table name is resolved with to_regclass, never spliced in as text.
SELECT (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(DISTINCT id) AS c FROM %s WHERE id = ANY (%L::bigint[])',
                                  to_regclass(current_setting('lab.table_name')),
                                  '{' || current_setting('lab.ids') || '}'),
                           false, true, '')))[1]::text::bigint AS present
WHERE to_regclass(current_setting('lab.table_name')) IS NOT NULL;
