-- Events by type over the year on the sharded layout, computed on the shards (benchmark layout sharded_pushdown,
-- lesson 08): GROUP BY event_type lacks the partition key, so PostgreSQL 17 would pull every row to the coordinator.
-- Each shard groups its own rows; the coordinator adds the two partial counts per type.
SELECT event_type, sum(n)::bigint AS events
FROM (SELECT event_type, count(*) AS n FROM app.events_mod2_r0 GROUP BY event_type
      UNION ALL
      SELECT event_type, count(*) FROM app.events_mod2_r1 GROUP BY event_type) AS per_shard
GROUP BY event_type
ORDER BY event_type;
