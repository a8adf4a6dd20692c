-- The lock modes (as pg_locks names them) that conflict with a table lock mode, per the PostgreSQL
-- documentation's table of conflicting lock modes. 'ACCESS EXCLUSIVE' and 'AccessExclusiveLock' both work.
CREATE OR REPLACE FUNCTION online.conflicting_modes(mode text) RETURNS text[]
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE replace(replace(lower(mode), ' ', ''), 'lock', '')
        WHEN 'accessshare' THEN ARRAY['AccessExclusiveLock']
        WHEN 'rowshare' THEN ARRAY['ExclusiveLock', 'AccessExclusiveLock']
        WHEN 'rowexclusive' THEN ARRAY['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']
        WHEN 'shareupdateexclusive' THEN ARRAY['ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                              'AccessExclusiveLock']
        WHEN 'share' THEN ARRAY['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                'AccessExclusiveLock']
        WHEN 'sharerowexclusive' THEN ARRAY['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock',
                                            'ExclusiveLock', 'AccessExclusiveLock']
        WHEN 'exclusive' THEN ARRAY['RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock',
                                    'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']
        WHEN 'accessexclusive' THEN ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock',
                                          'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']
    END
$$;
