-- A role that may load generate_test's tables but not see the server's data_directory (neither superuser nor a
-- member of pg_read_all_settings): Generate cannot tell its free disk, skips that check and says so.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'generate_limited') THEN
        CREATE ROLE generate_limited LOGIN PASSWORD 'generate_limited';
    END IF;
END
$$;
GRANT USAGE ON SCHEMA generate_test TO generate_limited;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA generate_test TO generate_limited;
