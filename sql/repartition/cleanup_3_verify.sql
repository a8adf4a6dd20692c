-- Scenario cleanup, step 3 of 4: the old partitions (kept, detached) and the rows brought back from the archive against
-- the original months as they were at the window, count and checksum, while the application goes on. Equal: the old
-- partitions and the capture are dropped; different: the swap is reverted, online, with every row written since.
-- Run it outside a transaction block. Needs cleanup_2_swap.sql first. Then: cleanup_4_drop.sql.
SET TimeZone = 'UTC';
CALL lab.settle_swap('cleanup', NULL);
SELECT * FROM lab.swap_record('cleanup', NULL);
