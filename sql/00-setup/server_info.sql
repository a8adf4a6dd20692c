-- Lesson 00: what we are connected to.
SELECT current_setting('server_version')          AS server_version,
       current_setting('server_version_num')::int AS version_num,
       current_user                               AS user_name,
       current_database()                         AS database_name,
       inet_server_port()                         AS port,
       pg_postmaster_start_time()::text           AS started_at;
