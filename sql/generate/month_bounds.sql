-- Each month from lab.from_month to lab.to_month (YYYY-MM) as the instants it starts and ends in the session's
-- time zone, which is how a partition bound written FOR VALUES FROM ('2024-01-01') is read, in microseconds
-- since 1970-01-01 UTC.
SELECT to_char(m, 'YYYY-MM') AS month,
       (extract(epoch FROM m) * 1000000)::bigint AS starts_at_micros,
       (extract(epoch FROM m + interval '1 month') * 1000000)::bigint AS ends_at_micros
FROM generate_series((current_setting('lab.from_month') || '-01')::timestamptz,
                     (current_setting('lab.to_month') || '-01')::timestamptz,
                     interval '1 month') AS m
ORDER BY m;
