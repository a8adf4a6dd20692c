-- The swap record of a table being replaced by a copy of it (the advisor's rollback, label 'rollback of <table>', and
-- its migrations to other layouts, 'advisor migration of <table>'): while the copy is filled, the swap of the table
-- itself (staging); once the window has renamed them, the swap of the kept table (swapped, verified or finished),
-- whose copy now has the name. None: NULL.
CREATE OR REPLACE FUNCTION lab.replacing_swap(label text, tbl regclass, kept text) RETURNS online.swaps
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT w FROM online.swaps w
    WHERE w.label = replacing_swap.label AND w.state <> 'aborted'
      AND ((w.parent = tbl AND w.state = 'staging') OR (w.parent = to_regclass(kept) AND w.state IN ('swapped', 'verified', 'finished')))
    ORDER BY w.swap_id DESC LIMIT 1
$$;
