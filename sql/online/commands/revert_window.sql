-- OnlineSwap, revert step 4 of 4: the old partitions of swap lab.swap_id back in place, in a window under the discipline.
SELECT online.revert_window(current_setting('lab.swap_id')::bigint) AS reverted;
