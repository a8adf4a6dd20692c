-- Lesson 11, step 10c: check the existing rows against a NOT VALID foreign key, on the parent and every
-- partition; it becomes validated (pg_constraint.convalidated) when none is missing its sensor.
ALTER TABLE app.readings VALIDATE CONSTRAINT readings_sensor_fk;
