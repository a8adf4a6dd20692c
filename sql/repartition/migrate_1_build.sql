-- Scenario migrate: app.users_by_date, RANGE-partitioned by quarter on registration_date, built from the
-- HASH-partitioned app.users_distributed in one snapshot (REPEATABLE READ), compared by count and checksum, and both
-- kept. app.users_distributed is only read: ACCESS SHARE, a reader's lock, so its readers and writers go on (the
-- transaction shows its own locks from pg_locks before it commits). Adding quarters to an existing app.users_by_date
-- takes ACCESS EXCLUSIVE on it, under the lock discipline. Run again, it adds the users written since.
-- Needs sql/online/install.sql, sql/repartition/00_functions.sql and 01_scenarios.sql.
SET TimeZone = 'UTC';
SELECT step, name, action, locks, row_count FROM lab.plan_migrate();
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM lab.sync_users_by_date();
-- what this transaction holds on app.users_distributed and its partitions, as pg_locks shows it
SELECT relation, mode, granted FROM lab.locks_held_on('app.users_distributed');
-- the distributions, side by side: each quarter's partition, and the same users counted in app.users_distributed
SELECT tableoid::regclass::text AS partition, date_trunc('quarter', min(registration_date))::date AS quarter,
       count(*) AS rows_in_partition,
       (SELECT count(*) FROM app.users_distributed AS d
        WHERE date_trunc('quarter', d.registration_date) = date_trunc('quarter', min(b.registration_date))) AS rows_in_users_distributed
FROM app.users_by_date AS b
GROUP BY tableoid
ORDER BY 2;
COMMIT;
