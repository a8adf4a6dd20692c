-- Lesson 01, part 2: why rows in the DEFAULT matter. Adding the April partition makes PostgreSQL check that no
-- row in the DEFAULT belongs to April; April's events are there, so the CREATE fails (SQLSTATE 23514) and
-- nothing changes. The re-partitioning lesson moves them out first, then creates the partition.
CREATE TABLE app.event_logs_2024_04 PARTITION OF app.event_logs
    FOR VALUES FROM ('2024-04-01 00:00:00+00') TO ('2024-05-01 00:00:00+00');
