-- The swaps of lab.parent (every table when unset) not finished: staging, swapped or verified.
SELECT swap_id, parent::text AS parent, label, state, started_at FROM online.swaps
WHERE state IN ('staging', 'swapped', 'verified')
  AND (nullif(current_setting('lab.parent', true), '') IS NULL OR parent = to_regclass(current_setting('lab.parent')))
ORDER BY swap_id;
