-- OnlineSwap, giving up before the window: swap lab.swap_id aborted, its staged tables and capture removed.
SELECT online.abort_swap(current_setting('lab.swap_id')::bigint) AS aborted;
