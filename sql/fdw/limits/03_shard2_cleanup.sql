-- Limit 3, cleanup (run on shard2): shard2 commits again.
DROP TRIGGER IF EXISTS lab_limit_refuse_commit ON app.events_shard;
DROP FUNCTION IF EXISTS app.lab_limit_refuse_commit();
