-- app.users_distributed: users with a country code and a registration date, in an ordinary table, NOT
-- partitioned yet (the hash lesson migrates it with sql/migrate/hash_users_distributed.sql).
-- Needs sql/base/00_lab_functions.sql. Parameters: lab.rows (default 150), lab.seed (default 0.42).
-- Starts over: drops app.users_distributed, the app.users_distributed_old a migration kept, and the
-- app.users_by_date the re-partitioning lesson builds from it.
DROP TABLE IF EXISTS app.users_distributed, app.users_distributed_old, app.users_by_date CASCADE;

CREATE TABLE app.users_distributed (
    id                bigserial PRIMARY KEY,
    username          text      NOT NULL,
    email             text      NOT NULL,
    country_code      char(2)   NOT NULL,
    registration_date date      NOT NULL
);
CREATE INDEX users_distributed_email_idx ON app.users_distributed (email);
CREATE INDEX users_distributed_country_code_idx ON app.users_distributed (country_code);
CREATE INDEX users_distributed_registration_date_idx ON app.users_distributed (registration_date);

COMMENT ON TABLE app.users_distributed IS 'Partition Lab: users. An ordinary table: NOT partitioned yet.';

SELECT setseed(coalesce(nullif(current_setting('lab.seed', true), ''), '0.42')::float8);

-- Registrations from 2020 to 2024; a third of the users in the US, a long tail of small countries.
INSERT INTO app.users_distributed (username, email, country_code, registration_date)
SELECT 'user_' || n,
       'user_' || n || '@example.com',
       lab.random_country(),
       lab.random_time('2020-01-01 00:00:00+00', '2025-01-01 00:00:00+00')::date
FROM generate_series(1, coalesce(nullif(current_setting('lab.rows', true), ''), '150')::int) AS n;

ANALYZE app.users_distributed;

SELECT 'app.users_distributed' AS table_name, count(*) AS row_count, count(DISTINCT country_code) AS countries
FROM app.users_distributed;
