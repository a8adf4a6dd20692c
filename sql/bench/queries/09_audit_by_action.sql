-- Audit-style (seed 003): aggregation by action (here: event type) over the whole year.
SELECT event_type, count(*) AS events FROM app.:"table" GROUP BY event_type ORDER BY event_type;
