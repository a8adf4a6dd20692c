-- Where the advisor's migration of lab.table_name to a layout other than months stands (lab.replace_state): the next
-- step, <table>_next, <table>_old, the swap. Changes nothing. Refusals: SQLSTATE 22023.
SELECT * FROM lab.replace_state(current_setting('lab.table_name'));
