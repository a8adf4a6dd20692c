-- Audit-style (seed 003): a month's rows, newest first.
SELECT * FROM app.:"table" WHERE occurred_at >= :'month_start' AND occurred_at < :'month_end' ORDER BY occurred_at DESC;
