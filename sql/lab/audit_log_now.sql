-- One row of audit.audit_logs (lesson 06's table) written now: the row a retention with a wrong "today" must never
-- take. Returns how many rows the table holds from the start of the server's date on.
INSERT INTO audit.audit_logs (created_at, user_id, action, object_type, object_id) VALUES (now(), 1, 'login', 'session', 'written today');
SELECT count(*) AS rows_today FROM audit.audit_logs WHERE created_at >= current_date;
