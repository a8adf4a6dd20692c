-- The relations of app.event_logs a scenario's window locks and in which mode (as pg_locks names it), as its plan states
-- them: lesson 05 compares them with what pg_locks shows while the window holds. Parameters: lab.scenario, lab.month.
SELECT * FROM lab.window_locks(current_setting('lab.scenario'),
                               lab.scenario_month(current_setting('lab.scenario'), nullif(current_setting('lab.month', true), '')));
