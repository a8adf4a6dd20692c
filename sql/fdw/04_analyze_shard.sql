-- Lesson 07 (run on each shard after a load): fresh statistics for the shard's planner.
ANALYZE app.events_shard;
