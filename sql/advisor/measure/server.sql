-- The advisor's measurement: which server and database a session is on, to refuse a scratch server that is the
-- analysed database itself under another name (localhost and 127.0.0.1, say): a postmaster's start time, its port and
-- the database tell them apart without any privilege. Reads only.
SELECT pg_postmaster_start_time()::text || ' port ' || current_setting('port') || ' database ' || current_database() AS identity;
