-- The lock records with each run's result: ok or failed once finished; running while its session is alive;
-- interrupted when its session is gone without finishing (the server restarted, the session was killed). A session is
-- the run's when its pid is a live backend that started before the run did (a new backend may reuse an old pid).
--   SELECT * FROM maintenance.runs ORDER BY id DESC LIMIT 10;
CREATE OR REPLACE VIEW maintenance.runs AS
SELECT h.id, h.what, h.trigger, h.parent_table, h.pid, h.application_name, h.started_at, h.finished_at,
       CASE WHEN h.finished_at IS NOT NULL THEN CASE WHEN h.ok THEN 'ok' ELSE 'failed' END
            WHEN EXISTS (SELECT FROM pg_stat_activity a WHERE a.pid = h.pid AND a.backend_start <= h.started_at) THEN 'running'
            ELSE 'interrupted' END AS result,
       h.finished_at - h.started_at AS duration,
       h.detail
FROM maintenance.run_history h;
