-- OnlineSwap, after the window: the old and the new partitions' rows at the window, compared (swap lab.swap_id).
SELECT rows_before, checksum_before::text AS checksum_before, rows_after, checksum_after::text AS checksum_after, matches
FROM online.verify_swap(current_setting('lab.swap_id')::bigint);
