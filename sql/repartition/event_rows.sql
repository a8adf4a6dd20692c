-- Count and checksum of every event wherever the scenarios keep it (app.event_logs, app.event_logs_archive, a month a
-- detach left half way; a row in two of them counts once): equal before and after a scenario, no event was lost.
SELECT row_count, row_checksum::text AS row_checksum FROM lab.event_rows_fingerprint();
