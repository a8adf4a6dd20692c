-- Lesson 11, step 3a: UNIQUE (id) on a table partitioned by taken_at. Refused (SQLSTATE 0A000): each
-- partition's index sees only its own rows, so two equal ids in two months could not be caught.
ALTER TABLE app.readings ADD CONSTRAINT readings_id_key UNIQUE (id);
