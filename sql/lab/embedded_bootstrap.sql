-- Run once on a new embedded server, as its superuser: the role the compose images create from
-- POSTGRES_USER / POSTGRES_PASSWORD. A superuser, as there, so lessons can create extensions
-- such as postgres_fdw. The database itself is created from Java: CREATE DATABASE cannot run in a DO block.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN
        CREATE ROLE app LOGIN SUPERUSER PASSWORD 'app';
    END IF;
END
$$;
