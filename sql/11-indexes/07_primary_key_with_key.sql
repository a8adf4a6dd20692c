-- Lesson 11, step 3b: a primary key that includes the partition key is accepted; PostgreSQL builds its
-- index on every partition (not concurrently: each partition is locked against writes while it builds).
ALTER TABLE app.readings ADD CONSTRAINT readings_pkey PRIMARY KEY (id, taken_at);
