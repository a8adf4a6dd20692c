-- Scenario add, step 3 of 3: the old DEFAULT (kept, detached) against the month and the new DEFAULT as they were at the
-- window, count and checksum, while the application goes on. Equal: the old DEFAULT and the capture are dropped (each
-- under the lock discipline); different: the swap is reverted, online, with every row written since.
-- Parameter: lab.month (YYYY-MM, default 2024-04). Run it outside a transaction block. Needs add_2_swap.sql first.
SET TimeZone = 'UTC';
CALL lab.settle_swap('add', lab.setting_or('lab.month', '2024-04'));
SELECT * FROM lab.swap_record('add', lab.setting_or('lab.month', '2024-04'));
