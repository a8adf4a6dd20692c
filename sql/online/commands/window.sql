-- OnlineSwap, the window of swap lab.swap_id, under the lock discipline (online.lock_timeout_ms, online.lock_budget_ms).
SELECT * FROM online.swap_window(current_setting('lab.swap_id')::bigint);
