-- OnlineSwap.begin: starts (or, with the same label, continues) a swap of lab.parent: lab.old_leaves (a text array
-- of partition names) replaced by lab.new_names with bounds lab.new_lowers / lab.new_uppers (NULL pair: the
-- DEFAULT), rows also from lab.sources. Parameters as custom settings; arrays in array literal form ('{a,b}').
SELECT online.begin_swap(to_regclass(current_setting('lab.parent')), current_setting('lab.label'),
                         current_setting('lab.old_leaves')::text[], current_setting('lab.new_names')::text[],
                         current_setting('lab.new_lowers')::text[], current_setting('lab.new_uppers')::text[],
                         coalesce(nullif(current_setting('lab.sources', true), ''), '{}')::text[]) AS swap_id;
