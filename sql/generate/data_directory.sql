-- Where the server keeps its data and the port it listens on, so that Generate can tell whether that folder is on
-- this machine (its postmaster.pid names the same port) and how much disk it has free. pg_settings shows
-- data_directory only to superusers and members of pg_read_all_settings: NULL for anyone else.
SELECT (SELECT setting FROM pg_settings WHERE name = 'data_directory') AS data_directory,
       current_setting('port') AS port;
