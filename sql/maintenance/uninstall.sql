-- Removes the partition manager: schema maintenance with its configuration, metadata and functions.
-- Partitioned tables, their partitions and every row stay as they are; nothing in them refers to the manager.
-- Partitions archived by retention live in their own archive schema and stay too, and so does schema online (the
-- lock discipline and the online swap, sql/online), which install.sql installs first and other tools use as well.
--
--   psql -v ON_ERROR_STOP=1 -f sql/maintenance/uninstall.sql    (or: jbang scripts/Maintain.java uninstall --apply)
DROP SCHEMA IF EXISTS maintenance CASCADE;
