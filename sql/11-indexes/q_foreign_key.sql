-- Lesson 11: the foreign key readings_sensor_fk as pg_constraint has it: on app.readings and on each of its
-- partitions (the partitions' copies carry conparentid), validated or not.
SELECT format('%I.%I', n.nspname, c.relname) AS on_table,
       'app.sensors' AS references_table,
       convalidated AS validated
FROM pg_constraint
JOIN pg_class c ON c.oid = conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE conname = 'readings_sensor_fk' AND contype = 'f'
  AND (conrelid = 'app.readings'::regclass
       OR conrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'app.readings'::regclass))
  AND confrelid = 'app.sensors'::regclass
ORDER BY conrelid <> 'app.readings'::regclass, 1;
