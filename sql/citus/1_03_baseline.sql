-- Phase 1, step 3 (coordinator): records each table's row count and checksum as the baseline every later phase is
-- compared with (fingerprints.sql). Only once: a rerun keeps the baseline the seed recorded.
INSERT INTO lab.citus_baseline (table_name, row_count, row_checksum)
SELECT table_name, row_count, row_checksum FROM lab.citus_fingerprints()
ON CONFLICT (table_name) DO NOTHING;
