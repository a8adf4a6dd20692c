-- Ranges of a RANGE-partitioned table's key, as arrays of lower and upper literals (unquoted values,
-- MINVALUE/MAXVALUE allowed), compared in the key's own type.

-- "(t.key in r1) OR (t.key in r2) ...", or 'false' for no range.
CREATE OR REPLACE FUNCTION online.ranges_condition(parent regclass, lowers text[], uppers text[], prefix text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce('(' || string_agg(online.bound_condition(parent, lo, hi, prefix), ' OR ' ORDER BY n) || ')', 'false')
    FROM unnest(lowers, uppers) WITH ORDINALITY AS r(lo, hi, n)
$$;

-- Whether the inner ranges lie wholly within the union of the outer ones (adjacent outer ranges join up).
CREATE OR REPLACE FUNCTION online.ranges_cover(parent regclass, outer_lowers text[], outer_uppers text[],
                                               inner_lowers text[], inner_uppers text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    key_type text := (online.range_key(parent)).key_type;
    covered  boolean;
BEGIN
    IF coalesce(cardinality(inner_lowers), 0) = 0 THEN
        RETURN true;
    END IF;
    -- islands of touching outer ranges (gaps and islands), then every inner range inside one island
    EXECUTE format($q$
        WITH o AS (SELECT CASE WHEN upper(lo) = 'MINVALUE' THEN '-infinity' ELSE lo END::%1$s AS lo,
                          CASE WHEN upper(hi) = 'MAXVALUE' THEN 'infinity' ELSE hi END::%1$s AS hi
                   FROM unnest($1, $2) AS u(lo, hi)),
             marked AS (SELECT lo, hi, CASE WHEN lo <= max(hi) OVER (ORDER BY lo, hi ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                                            THEN 0 ELSE 1 END AS starts FROM o),
             numbered AS (SELECT lo, hi, sum(starts) OVER (ORDER BY lo, hi) AS island FROM marked),
             islands AS (SELECT min(lo) AS lo, max(hi) AS hi FROM numbered GROUP BY island),
             i AS (SELECT CASE WHEN upper(lo) = 'MINVALUE' THEN '-infinity' ELSE lo END::%1$s AS lo,
                          CASE WHEN upper(hi) = 'MAXVALUE' THEN 'infinity' ELSE hi END::%1$s AS hi
                   FROM unnest($3, $4) AS u(lo, hi))
        SELECT bool_and(EXISTS (SELECT FROM islands s WHERE s.lo <= i.lo AND i.hi <= s.hi)) FROM i$q$, key_type)
        INTO covered USING outer_lowers, outer_uppers, inner_lowers, inner_uppers;
    RETURN coalesce(covered, false);
END
$$;

-- Whether two ranges share any key value.
CREATE OR REPLACE FUNCTION online.ranges_overlap(parent regclass, lower_a text, upper_a text, lower_b text, upper_b text)
RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    key_type text := (online.range_key(parent)).key_type;
    result boolean;
BEGIN
    EXECUTE format($q$SELECT CASE WHEN upper($1) = 'MINVALUE' THEN '-infinity' ELSE $1 END::%1$s
                                  < CASE WHEN upper($4) = 'MAXVALUE' THEN 'infinity' ELSE $4 END::%1$s
                         AND CASE WHEN upper($3) = 'MINVALUE' THEN '-infinity' ELSE $3 END::%1$s
                                  < CASE WHEN upper($2) = 'MAXVALUE' THEN 'infinity' ELSE $2 END::%1$s$q$, key_type)
        INTO result USING lower_a, upper_a, lower_b, upper_b;
    RETURN result;
END
$$;

-- What one partition holds: its range, or for the DEFAULT (NULL bounds) every key no range of the layout takes
-- (NULL keys included, which RANGE partitioning sends to the DEFAULT).
CREATE OR REPLACE FUNCTION online.holds_condition(parent regclass, lower text, upper text, layout_lowers text[],
                                                  layout_uppers text[], prefix text) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN lower IS NULL
        THEN format('(%s IS NULL OR NOT %s)',
                    CASE WHEN prefix = '' THEN '' ELSE prefix || '.' END || quote_ident((online.range_key(parent)).key_name),
                    online.ranges_condition(parent, layout_lowers, layout_uppers, prefix))
        ELSE online.bound_condition(parent, online.unquoted(lower), online.unquoted(upper), prefix) END
$$;
