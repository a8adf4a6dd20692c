-- Run on a server the lab starts itself, as its superuser, each time it starts: the role the compose images create
-- from POSTGRES_USER. A superuser, as there, so lessons can create extensions such as postgres_fdw. Both roles get the
-- LAB_HOME's password (LAB_HOME/pgpass), as the setting lab.password: the servers ask every client for it.
--   PGPASSFILE=~/.partition-lab/pgpass PGOPTIONS="-c lab.password=..." psql "postgresql://postgres@localhost:PORT/postgres" -f sql/lab/embedded_bootstrap.sql
-- The database itself is created from Java: CREATE DATABASE cannot run in a DO block.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN
        EXECUTE format('CREATE ROLE app LOGIN SUPERUSER PASSWORD %L', current_setting('lab.password'));
    ELSE
        EXECUTE format('ALTER ROLE app PASSWORD %L', current_setting('lab.password'));
    END IF;
    EXECUTE format('ALTER ROLE postgres PASSWORD %L', current_setting('lab.password'));
END
$$;
