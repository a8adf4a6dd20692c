-- OnlineSwap, once verified: the capture of swap lab.swap_id removed, and its old partitions dropped (kept as
-- standalone tables when lab.keep_old is true).
SELECT online.finish_swap(current_setting('lab.swap_id')::bigint,
                          coalesce(nullif(current_setting('lab.keep_old', true), '')::boolean, false)) AS finished;
