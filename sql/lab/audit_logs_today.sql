-- How many rows of audit.audit_logs were written from the start of the server's date on (see audit_log_now.sql).
SELECT count(*) AS rows_today FROM audit.audit_logs WHERE created_at >= current_date;
