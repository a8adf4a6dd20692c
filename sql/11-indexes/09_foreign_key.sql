-- Lesson 11, step 4a: a foreign key from the partitioned app.readings to the partitioned app.sensors.
-- The referenced columns must carry a unique constraint, which on a partitioned table includes its key:
-- here sensor_id is both. Every existing reading is checked (validated) as the constraint is added.
ALTER TABLE app.readings ADD CONSTRAINT readings_sensor_fk
    FOREIGN KEY (sensor_id) REFERENCES app.sensors (sensor_id);
