-- OnlineSwap: what the record says of swap lab.swap_id.
SELECT swap_id, parent::text AS parent, label, state, rows_staged, window_rows, window_attempts, window_ms, rows_before,
       checksum_before::text AS checksum_before, rows_after, checksum_after::text AS checksum_after,
       array_to_string(old_leaves, ', ') AS old_leaves, array_to_string(new_names, ', ') AS new_names
FROM online.swaps WHERE swap_id = current_setting('lab.swap_id')::bigint;
