-- OnlineSwap, revert step 2 of 4 (the verification failed): the old partitions of swap lab.swap_id made ready.
SELECT online.revert_prepare(current_setting('lab.swap_id')::bigint);
