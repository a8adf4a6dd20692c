-- OnlineSwap, revert step 1 of 4 (the verification failed): how far the capture of swap lab.swap_id has come, read
-- holding SHARE on the new partitions for an instant.
SELECT online.revert_mark(current_setting('lab.swap_id')::bigint) AS mark;
