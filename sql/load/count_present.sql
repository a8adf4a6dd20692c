-- How many of the ids in lab.ids (comma-separated) are in lab.table_name, or in lab.also_in when given (where a
-- re-partitioning moved rows on purpose, such as app.event_logs_archive): the load simulator's proof that every
-- row it reported written is still there. Names are resolved with to_regclass, never spliced in as text; an
-- lab.also_in that does not exist (yet) is simply not searched.
SELECT (xpath('/row/c/text()',
              query_to_xml(format('SELECT count(DISTINCT id) AS c FROM (SELECT id FROM %s UNION ALL SELECT id FROM %s) AS t WHERE id = ANY (%L::bigint[])',
                                  to_regclass(current_setting('lab.table_name')),
                                  coalesce(to_regclass(nullif(current_setting('lab.also_in', true), '')),
                                           to_regclass(current_setting('lab.table_name'))),
                                  '{' || current_setting('lab.ids') || '}'),
                           false, true, '')))[1]::text::bigint AS present
WHERE to_regclass(current_setting('lab.table_name')) IS NOT NULL;
