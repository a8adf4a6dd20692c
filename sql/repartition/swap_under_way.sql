-- The swap a scenario (lab.scenario, lab.month) began and did not end, and its state; no row: none.
SELECT w.swap_id, w.state FROM online.swaps w
WHERE w.swap_id = lab.swap_under_way(lab.swap_label(current_setting('lab.scenario'),
                                                    lab.scenario_month(current_setting('lab.scenario'), nullif(current_setting('lab.month', true), ''))));
