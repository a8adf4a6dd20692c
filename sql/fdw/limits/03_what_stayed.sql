-- Limit 3 (coordinator): what the failed transaction left behind: the row for shard1 is there, the one for shard2
-- is not. The application was told the transaction failed.
SELECT ids.id, ids.meant_for, e.tableoid::regclass::text AS found_in
FROM (VALUES ('00000000-0000-4000-8000-0000000020c1'::uuid, 'shard1'),
             ('00000000-0000-4000-8000-0000000020c2'::uuid, 'shard2')) AS ids (id, meant_for)
LEFT JOIN app.events_sharded e ON e.id = ids.id
ORDER BY ids.id;
