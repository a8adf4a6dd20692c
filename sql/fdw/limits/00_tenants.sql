-- Lesson 08, the limits (run on the coordinator): two tenants, the lowest that hashes to each shard, for the
-- demonstrations that follow. Removes what an earlier run of the limits left behind (event types lab_limit_*).
CREATE OR REPLACE VIEW app.lab_limit_tenants AS
SELECT (SELECT min(t) FROM generate_series(1, 1000) t
        WHERE satisfies_hash_partition('app.events_sharded'::regclass, 2, 0, t)) AS on_shard1,
       (SELECT min(t) FROM generate_series(1, 1000) t
        WHERE satisfies_hash_partition('app.events_sharded'::regclass, 2, 1, t)) AS on_shard2;

DELETE FROM app.events_sharded WHERE event_type LIKE 'lab_limit%';

SELECT * FROM app.lab_limit_tenants;
