-- The swap a scenario (lab.scenario, lab.month) began and did not end, its state, the staged tables of it that exist
-- (comma-separated) and the partitions whose changes it captures; no row: none.
SELECT w.swap_id, w.state,
       array_to_string(ARRAY(SELECT s FROM unnest(w.staged_names) AS s WHERE to_regclass(s) IS NOT NULL), ', ') AS staged_left,
       array_to_string(w.old_leaves, ', ') AS captured
FROM online.swaps w
WHERE w.swap_id = lab.swap_under_way(lab.swap_label(current_setting('lab.scenario'),
                                                    lab.scenario_month(current_setting('lab.scenario'), nullif(current_setting('lab.month', true), ''))));
