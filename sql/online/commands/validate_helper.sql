-- OnlineSwap, revert step 3 of 4: the DEFAULT's helper CHECK of swap lab.swap_id validated, without blocking anyone.
SELECT online.validate_helper(current_setting('lab.swap_id')::bigint);
