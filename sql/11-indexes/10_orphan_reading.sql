-- Lesson 11, step 4b: a reading of a sensor that does not exist. Refused (SQLSTATE 23503).
INSERT INTO app.readings (id, sensor_id, taken_at, value) VALUES (-1, 9999, '2024-03-01 00:00+00', 1.0);
