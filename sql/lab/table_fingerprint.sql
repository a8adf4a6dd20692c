-- Row count and an order-independent checksum of whole rows (the sum of a 64-bit hash of each row's
-- text form) of lab.table_name: equal fingerprints mean the same rows, whatever their order or partition.
-- The name is resolved with to_regclass and formatted as a regclass, never spliced in as text.
SELECT current_setting('lab.table_name') AS table_name,
       (xpath('/row/n/text()', counted))[1]::text::bigint AS row_count,
       (xpath('/row/s/text()', counted))[1]::text AS row_checksum
FROM (SELECT query_to_xml(
                 format('SELECT count(*) AS n, coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) AS s FROM %s AS t',
                        to_regclass(current_setting('lab.table_name'))),
                 false, true, '') AS counted
      WHERE to_regclass(current_setting('lab.table_name')) IS NOT NULL) AS q;
