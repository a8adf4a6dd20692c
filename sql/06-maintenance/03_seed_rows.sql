-- Lesson 06, step 3: rows for the seven managed tables, lab.rows_per_month of them (a quarter as many goal
-- completions) in every month from lab.from_month to lab.to_month (YYYY-MM, both included), spread evenly over
-- each UTC month. Deterministic: two runs give the same rows. Months without a partition fill the DEFAULT.
CREATE TEMP TABLE seed_times AS
SELECT row_number() OVER (ORDER BY at) AS n, at
FROM (SELECT (m.month + (m.month + interval '1 month' - m.month) * ((k - 0.5) / r.per_month)) AT TIME ZONE 'UTC' AS at
      FROM (SELECT current_setting('lab.rows_per_month')::int AS per_month) r
      CROSS JOIN generate_series(to_date(current_setting('lab.from_month'), 'YYYY-MM')::timestamp,
                                 to_date(current_setting('lab.to_month'), 'YYYY-MM')::timestamp, interval '1 month') AS m(month)
      CROSS JOIN LATERAL generate_series(1, r.per_month) AS k) AS spread;

INSERT INTO app.events (id, tenant_id, occurred_at, event_type, payload)
SELECT md5('lesson 06 ' || n)::uuid, n % 50, at, (ARRAY['page_view', 'click', 'login', 'purchase'])[1 + n % 4],
       jsonb_build_object('n', n)
FROM seed_times;

INSERT INTO audit.audit_logs (created_at, user_id, action, object_type, object_id, details)
SELECT at, n % 500, (ARRAY['create', 'update', 'delete', 'login', 'export'])[1 + n % 5],
       (ARRAY['room', 'floor', 'building', 'device'])[1 + n % 4], 'obj_' || n % 1000, jsonb_build_object('n', n)
FROM seed_times;

INSERT INTO audit.object_history (changed_at, object_id, object_type, change_type, old_value, new_value, changed_by)
SELECT at, 'room_' || n % 800, 'room', (ARRAY['insert', 'update', 'delete'])[1 + n % 3],
       jsonb_build_object('v', n - 1), jsonb_build_object('v', n), n % 300
FROM seed_times;

INSERT INTO audit.slow_query_log ("timestamp", query_text, duration_ms, rows_returned, database_user)
SELECT at, 'SELECT * FROM rooms WHERE floor_id = $1 /* query ' || n % 40 || ' */', 1000 + (n * 7919) % 9000, n % 10000,
       (ARRAY['app', 'reporting', 'etl'])[1 + n % 3]
FROM seed_times;

INSERT INTO audit.chat_messages (created_at, room_id, sender_id, body)
SELECT at, n % 60, n % 300, 'message ' || n
FROM seed_times;

INSERT INTO analytics.events ("timestamp", project_id, event_type, country, custom_data)
SELECT at, n % 25, (ARRAY['page_view', 'custom', 'click', 'scroll'])[1 + n % 4], (ARRAY['US', 'DE', 'IN', 'BR', 'JP'])[1 + n % 5],
       jsonb_build_object('n', n)
FROM seed_times;

INSERT INTO analytics.goal_completions ("timestamp", project_id, goal_id, value)
SELECT at, n % 25, n % 7, (n % 100) + 0.5
FROM seed_times
WHERE n % 4 = 0;

DROP TABLE seed_times;
