-- Where the rollback of lab.table_name stands (lab.rollback_state): the next step, the plain copy, the kept
-- partitioned table, the swap that carries the capture. Changes nothing. Refusals: SQLSTATE 22023.
SELECT * FROM lab.rollback_state(current_setting('lab.table_name'));
