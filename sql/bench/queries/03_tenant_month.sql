-- Seed query: tenant-scoped time-range aggregation: one tenant's month, by event type.
SELECT event_type, count(*) AS events, min(occurred_at) AS first_at, max(occurred_at) AS last_at
FROM app.:"table"
WHERE tenant_id = :'tenant' AND occurred_at >= :'month_start' AND occurred_at < :'month_end'
GROUP BY event_type
ORDER BY event_type;
