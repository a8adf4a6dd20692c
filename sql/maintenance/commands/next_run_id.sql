-- Maintain.java: a new run id, under which a procedure's lines go into maintenance.run_log.
-- Parameters (custom settings, empty or unset for the default): none.
SELECT nextval('maintenance.run_ids') AS run_id;
