-- Phases 1-4 (coordinator): the users with the most orders, with their e-mail. users stays a regular table on the
-- coordinator; joined with the distributed orders, Citus first reads the local table, ships the rows it needs to
-- the workers as an intermediate result, and joins there (a "Distributed Subplan" in the plan).
SELECT u.user_id, u.email, count(*) AS orders
FROM app.orders AS o
JOIN app.users AS u ON u.user_id = o.user_id
WHERE u.region_id = 3
GROUP BY u.user_id, u.email
ORDER BY orders DESC, u.user_id
LIMIT 5;
