-- Phase 2, step 1 (on every node: the coordinator and each worker): the Citus extension. The server must already
-- load the library (shared_preload_libraries = 'citus'); the official image and the lab's local servers do.
CREATE EXTENSION IF NOT EXISTS citus;
