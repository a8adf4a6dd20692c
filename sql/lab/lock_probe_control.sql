-- The lock probe's control: a table nobody uses, so that the time the probe takes to lock it is the probe's own
-- round trip under the load of the moment: its noise floor. Created once; never written.
CREATE SCHEMA IF NOT EXISTS lab;
CREATE TABLE IF NOT EXISTS lab.lock_probe_control (nothing boolean);
COMMENT ON TABLE lab.lock_probe_control IS 'Partition Lab: the lock probe''s control table (never used, never written)';
