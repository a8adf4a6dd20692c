-- Run-time pruning: with a parameter the planner cannot pick the partition, so a generic plan keeps
-- them all and the executor removes the ones that cannot match when it starts ("Subplans Removed").
-- force_generic_plan makes the demonstration deterministic. By default (plan_cache_mode = auto) the first
-- five executions get custom plans; after that the generic plan is used only if its estimated cost is not
-- much higher than the average custom plan's (PREPARE, Notes), which a pruned month may never allow.
SET plan_cache_mode = force_generic_plan;

PREPARE month_count(timestamptz) AS
    SELECT count(*) FROM app.events
    WHERE occurred_at >= $1 AND occurred_at < $1 + interval '1 month';

EXECUTE month_count('2024-06-01 00:00:00+00');
