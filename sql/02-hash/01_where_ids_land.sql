-- Lesson 02: where consecutive ids land. Hashing scatters them over the four partitions: neighbours in id are
-- not neighbours on disk, which is what spreads the rows evenly and also why a range of ids cannot prune.
-- satisfies_hash_partition(parent, modulus, remainder, key) is the check PostgreSQL itself uses for a bound.
SELECT u.id,
       format('%I.%I', n.nspname, c.relname) AS stored_in,
       (SELECT r FROM generate_series(0, 3) AS r
        WHERE satisfies_hash_partition('app.users_distributed'::regclass, 4, r, u.id)) AS remainder_of_hash
FROM app.users_distributed u
JOIN pg_class c ON c.oid = u.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE u.id <= 12
ORDER BY u.id;
