-- Maintain.java uninstall: what removing schema maintenance takes away (and that no partition goes with it).
-- Parameters (custom settings, empty or unset for the default): none.
SELECT 'maintenance.partition_config' AS object, count(*) AS rows, 'removed: the configuration of ' || count(*) || ' tables' AS effect
FROM maintenance.partition_config
UNION ALL
SELECT 'maintenance.partition_metadata', count(*), 'removed (refresh_metadata rebuilds it)' FROM maintenance.partition_metadata
UNION ALL
SELECT 'maintenance functions', count(*), 'removed' FROM pg_proc WHERE pronamespace = 'maintenance'::regnamespace
UNION ALL
SELECT 'partitions of managed tables', count(*), 'kept, with every row' FROM maintenance.list_partitions();
