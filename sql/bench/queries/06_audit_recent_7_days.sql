-- Audit-style (seed 003): the last 7 days' rows, newest first. The seed wrote now() - interval '7 days'; here the
-- start is a constant, the 7 days before the data ends, so that every run reads the same rows (and the planner can
-- prune at plan time rather than at executor start).
SELECT * FROM app.:"table" WHERE occurred_at >= :'recent_from' AND occurred_at < :'year_end' ORDER BY occurred_at DESC;
