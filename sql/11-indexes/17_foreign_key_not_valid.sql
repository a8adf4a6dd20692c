-- Lesson 11, step 10b (PostgreSQL 18 and later): the foreign key of step 4 again, added NOT VALID: new and
-- changed rows are checked at once, the existing ones only by VALIDATE CONSTRAINT (step 10c), which takes a
-- lighter lock. Older servers refuse NOT VALID on a partitioned table; the transaction then keeps step 4's key.
BEGIN;
ALTER TABLE app.readings DROP CONSTRAINT readings_sensor_fk;
ALTER TABLE app.readings ADD CONSTRAINT readings_sensor_fk
    FOREIGN KEY (sensor_id) REFERENCES app.sensors (sensor_id) NOT VALID;
COMMIT;
