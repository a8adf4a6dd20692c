-- What a load left in lab.table_name (schema-qualified, resolved with to_regclass): rows, the tenant range and how
-- many tenants occur, how many event types, and the first and last occurred_at. No row: no such table.
SELECT current_setting('lab.table_name') AS table_name,
       (xpath('/row/row_count/text()', profile))[1]::text::bigint AS row_count,
       (xpath('/row/min_tenant/text()', profile))[1]::text::int AS min_tenant,
       (xpath('/row/max_tenant/text()', profile))[1]::text::int AS max_tenant,
       (xpath('/row/tenants/text()', profile))[1]::text::int AS tenants,
       (xpath('/row/event_types/text()', profile))[1]::text::int AS event_types,
       (xpath('/row/first_at/text()', profile))[1]::text::timestamptz AS first_at,
       (xpath('/row/last_at/text()', profile))[1]::text::timestamptz AS last_at
FROM (SELECT query_to_xml(
                 format('SELECT count(*) AS row_count, min(tenant_id) AS min_tenant, max(tenant_id) AS max_tenant,
                                count(DISTINCT tenant_id) AS tenants, count(DISTINCT event_type) AS event_types,
                                min(occurred_at) AS first_at, max(occurred_at) AS last_at
                         FROM %s', to_regclass(current_setting('lab.table_name'))),
                 false, true, '') AS profile
      WHERE to_regclass(current_setting('lab.table_name')) IS NOT NULL) AS q;
