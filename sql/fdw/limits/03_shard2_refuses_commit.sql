-- Limit 3, setup (run on shard2): a deferred constraint trigger that makes shard2 refuse to COMMIT a transaction
-- holding a row of type lab_limit_fail_at_commit, standing in for any failure at commit time (disk full, a
-- crash, a deferred constraint). Removed again by 03_shard2_cleanup.sql.
CREATE OR REPLACE FUNCTION app.lab_limit_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shard2 refuses to commit % (lesson 08, limit 3)', NEW.id;
END
$$;

DROP TRIGGER IF EXISTS lab_limit_refuse_commit ON app.events_shard;

CREATE CONSTRAINT TRIGGER lab_limit_refuse_commit
    AFTER INSERT ON app.events_shard
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.event_type = 'lab_limit_fail_at_commit')
    EXECUTE FUNCTION app.lab_limit_refuse_commit();
