-- The advisor's measurement, on the analysed database in a READ ONLY transaction: the statements that read the
-- sample, as text (identifiers quoted here, by format), for the caller to run in the same transaction.
--   range_query: the table's rows, and the first and last value of the stratum column (lab.stratum_column);
--   copy_query:  COPY ... TO STDOUT of lab.sample_rows rows stratified by that column: rows are ranked at random
--                within each stratum (date_trunc(lab.unit, column) for a time column, the value itself otherwise)
--                and taken rank by rank, so every stratum gets an equal share and a thin one gives all it has; out
--                in the column's order, as an append-only table would hold them. random() follows setseed().
-- Parameters: lab.table_name, lab.stratum_column, lab.time ('true' for a time column), lab.unit (day, week, month),
-- lab.sample_rows.
WITH t AS (
    SELECT to_regclass(current_setting('lab.table_name')) AS oid,
           current_setting('lab.stratum_column') AS col,
           current_setting('lab.time')::boolean AS is_time,
           current_setting('lab.unit') AS unit
), cols AS (
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS list
    FROM t JOIN pg_attribute a ON a.attrelid = t.oid
    WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
)
SELECT format('SELECT count(*), min(%I)::text, max(%I)::text FROM %s', t.col, t.col, t.oid::regclass) AS range_query,
       format('COPY (SELECT %s FROM (SELECT %s FROM (SELECT %s, row_number() OVER (PARTITION BY %s ORDER BY random()) AS lab_rank FROM %s) AS ranked '
              'ORDER BY lab_rank, random() LIMIT %s) AS sample ORDER BY %I) TO STDOUT',
              cols.list, cols.list, cols.list,
              CASE WHEN t.is_time THEN format('date_trunc(%L, %I)', t.unit, t.col) ELSE quote_ident(t.col) END,
              t.oid::regclass, current_setting('lab.sample_rows')::bigint, t.col) AS copy_query
FROM t, cols;
