-- Scenario split, step 3 of 3: the month (kept, detached) against the four weeks as they were at the window, count and
-- checksum, while the application goes on. Equal: the month and the capture are dropped (each under the lock
-- discipline); different: the swap is reverted, online, with every row written since.
-- Parameter: lab.month (YYYY-MM, default 2024-02). Run it outside a transaction block. Needs split_2_swap.sql first.
SET TimeZone = 'UTC';
CALL lab.settle_swap('split', lab.setting_or('lab.month', '2024-02'));
SELECT * FROM lab.swap_record('split', lab.setting_or('lab.month', '2024-02'));
