-- One row of audit.audit_logs (lesson 06's table) written now: the row a retention with a wrong "today" must never
-- take (audit_logs_today.sql counts it).
INSERT INTO audit.audit_logs (created_at, user_id, action, object_type, object_id) VALUES (now(), 1, 'login', 'session', 'written today')
RETURNING created_at;
