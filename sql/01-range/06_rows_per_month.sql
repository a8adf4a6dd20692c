-- Lesson 01: where the rows are. For each partition a row is stored in (tableoid), the months its rows
-- belong to and how many: every monthly partition must hold exactly one month, the DEFAULT only what
-- fits no range.
SELECT format('%I.%I', n.nspname, c.relname)               AS partition,
       counted.month,
       counted.row_count
FROM (SELECT tableoid,
             to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
             count(*) AS row_count
      FROM app.events
      GROUP BY 1, 2) AS counted
JOIN pg_class c ON c.oid = counted.tableoid
JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY 2, 1;
