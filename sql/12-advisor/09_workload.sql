-- The cases' typical queries, top-level statements that pg_stat_statements records (it normalizes their constants
-- to $1, $2, ..., so each line below is one entry however often it runs; lab.AdvisorCases runs this file several
-- times). What each case's workload filters on is what the advisor picks a partition key from:
--   app.readings          recorded_at (time ranges, the recent days), once sensor_id with it
--   app.countries         code, region (a lookup)
--   app.tenant_documents  tenant_id only
--   app.orders            ordered_at; app.order_lines through order_id
--   audit.*               seed 003's queries: the recent days and months on each table's time column, user_id,
--                         object_id, room_id with the time, the slow queries' duration; its DELETE retention
-- Dates come from now(): the real calendar, never a fixed year. Reads only, but for one reading inserted.
SELECT count(*), avg(value) FROM app.readings WHERE recorded_at >= now() - interval '1 day';
SELECT count(*) FROM app.readings WHERE recorded_at >= date_trunc('month', now()) - interval '1 month' AND recorded_at < date_trunc('month', now());
SELECT date_trunc('day', recorded_at) AS day, count(*) FROM app.readings WHERE recorded_at BETWEEN now() - interval '30 days' AND now() GROUP BY 1 ORDER BY 1;
SELECT max(value) FROM app.readings WHERE sensor_id = 42 AND recorded_at >= now() - interval '7 days';
INSERT INTO app.readings (sensor_id, recorded_at, value, status) VALUES (7, now(), 21.5, 'ok');

SELECT name FROM app.countries WHERE code = 'C0042';
SELECT code, name FROM app.countries WHERE region IN ('eu-west', 'eu-central') ORDER BY name LIMIT 20;

SELECT id, title FROM app.tenant_documents WHERE tenant_id = 17 ORDER BY id DESC LIMIT 20;
SELECT count(*), sum(size_bytes) FROM app.tenant_documents WHERE tenant_id = 3;
SELECT tenant_id, count(*) FROM app.tenant_documents WHERE tenant_id IN (5, 6, 7) GROUP BY tenant_id;

SELECT count(*), sum(total) FROM app.orders WHERE ordered_at >= now() - interval '7 days';
SELECT status, count(*) FROM app.orders WHERE ordered_at >= date_trunc('month', now()) AND ordered_at < date_trunc('month', now()) + interval '1 month' GROUP BY status;
SELECT sum(l.quantity * l.price) FROM app.order_lines l WHERE l.order_id = 1234;

SELECT * FROM audit.audit_logs WHERE created_at >= NOW() - INTERVAL '7 days' ORDER BY created_at DESC LIMIT 100;
SELECT action, count(*) FROM audit.audit_logs WHERE created_at >= date_trunc('month', now()) - interval '1 month' AND created_at < date_trunc('month', now()) GROUP BY action;
SELECT count(*) FROM audit.audit_logs WHERE user_id = 42 AND created_at >= now() - interval '30 days';
SELECT * FROM audit.object_history WHERE changed_at >= NOW() - INTERVAL '30 days' ORDER BY changed_at DESC LIMIT 100;
SELECT change_type, count(*) FROM audit.object_history WHERE changed_at >= now() - interval '30 days' GROUP BY change_type;
SELECT * FROM audit.object_history WHERE object_id = 'room_123' ORDER BY changed_at DESC LIMIT 20;
SELECT * FROM audit.slow_query_log WHERE "timestamp" >= now() - interval '7 days' AND duration_ms > 1000 ORDER BY duration_ms DESC LIMIT 20;
DELETE FROM audit.slow_query_log WHERE "timestamp" < now() - interval '6 months';
SELECT * FROM audit.chat_messages WHERE room_id = 12 AND created_at >= now() - interval '1 day' ORDER BY created_at DESC LIMIT 50;
SELECT count(*) FROM audit.chat_messages WHERE created_at >= now() - interval '7 days';
