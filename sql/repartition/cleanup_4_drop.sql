-- Scenario cleanup, step 4 of 4, one transaction: what the scenarios built beside app.event_logs dropped, each under the
-- lock discipline (ACCESS EXCLUSIVE on that table only): app.event_logs_archive and tables a detach left half way, once
-- every row of them has its key in app.event_logs again (refused otherwise: run the swap of steps 1-3 first), and
-- app.users_by_date, every user of which is also in app.users_distributed. One row per table dropped.
-- Needs cleanup_3_verify.sql first.
SET TimeZone = 'UTC';
SELECT * FROM lab.drop_leftovers();
