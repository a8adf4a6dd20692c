-- Seed query: time-range aggregation for a month.
SELECT count(*) FROM app.:"table" WHERE occurred_at >= :'month_start' AND occurred_at < :'month_end';
