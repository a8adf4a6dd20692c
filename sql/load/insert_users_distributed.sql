-- Load simulator: one new user in app.users_distributed; the id comes from the table's sequence, so the hash
-- partition it lands in is decided by PostgreSQL. Needs sql/base/00_lab_functions.sql.
INSERT INTO app.users_distributed (username, email, country_code, registration_date)
SELECT 'user_' || next_id, 'user_' || next_id || '@example.com', lab.random_country(),
       lab.random_time('2024-01-01 00:00:00+00', '2025-01-01 00:00:00+00')::date
FROM (SELECT nextval('app.users_distributed_id_seq') AS next_id) AS n
RETURNING id;
