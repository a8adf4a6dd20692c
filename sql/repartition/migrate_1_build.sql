-- Scenario migrate: app.users_by_date, RANGE-partitioned by quarter on registration_date, built from the
-- HASH-partitioned app.users_distributed in one snapshot (REPEATABLE READ), compared by count and checksum, and
-- both kept. Run again, it adds the users written since. Needs sql/repartition/00_functions.sql and 01_scenarios.sql.
SET TimeZone = 'UTC';
SELECT * FROM lab.plan_migrate();
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT lab.sync_users_by_date() AS rows_copied;
SELECT lab.fail_point('copied');
SELECT 'all users' AS moved_range, d.row_count AS rows_before, d.row_checksum::text AS checksum_before,
       b.row_count AS rows_after, b.row_checksum::text AS checksum_after, NULL::text AS detached, 'app.users_by_date' AS attached
FROM lab.rows_fingerprint('app.users_distributed', 'app.users_distributed') AS d,
     lab.rows_fingerprint('app.users_by_date', 'app.users_distributed') AS b;
-- the distributions, side by side: each quarter's partition, and the same users counted in app.users_distributed
SELECT tableoid::regclass::text AS partition, date_trunc('quarter', min(registration_date))::date AS quarter,
       count(*) AS rows_in_partition,
       (SELECT count(*) FROM app.users_distributed AS d
        WHERE date_trunc('quarter', d.registration_date) = date_trunc('quarter', min(b.registration_date))) AS rows_in_users_distributed
FROM app.users_by_date AS b
GROUP BY tableoid
ORDER BY 2;
COMMIT;
