-- OnlineSwap, staging: one batch of swap lab.swap_id (online.batch_rows rows at most); staged = true when done.
SELECT * FROM online.stage_batch(current_setting('lab.swap_id')::bigint);
