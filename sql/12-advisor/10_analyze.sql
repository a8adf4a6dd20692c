-- Fresh statistics for every case table after the workload (it inserted a reading and deleted old slow queries): the
-- advisor reads row estimates and column statistics, never the tables themselves.
ANALYZE app.readings, app.countries, app.tenant_documents, app.orders, app.order_lines,
        audit.audit_logs, audit.object_history, audit.slow_query_log, audit.chat_messages;
