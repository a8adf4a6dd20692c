-- Lesson 07 (run on the coordinator after a load): ANALYZE on a foreign table samples the shard's rows through
-- postgres_fdw, so the coordinator's planner knows how many rows each foreign partition holds (without it, it
-- guesses, and may choose not to push an aggregate down).
ANALYZE app.events_sharded;
