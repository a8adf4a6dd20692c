-- Removes the partition manager: schema maintenance with its configuration, metadata and functions.
-- Partitioned tables, their partitions and every row stay as they are; nothing in them refers to the manager.
-- Partitions archived by retention live in their own archive schema and stay too.
--
--   psql -v ON_ERROR_STOP=1 -f sql/maintenance/uninstall.sql    (or: jbang scripts/Maintain.java uninstall --apply)
DROP SCHEMA IF EXISTS maintenance CASCADE;
