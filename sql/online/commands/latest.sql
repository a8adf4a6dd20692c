-- OnlineSwap: what the record says of the latest swap of lab.parent.
SELECT swap_id, parent::text AS parent, label, state, rows_staged, window_rows, window_attempts, window_ms, rows_before, rows_after
FROM online.swaps WHERE parent = to_regclass(current_setting('lab.parent'))
ORDER BY swap_id DESC LIMIT 1;
