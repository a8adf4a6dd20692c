-- Any phase (coordinator): the primary and foreign keys of app.orders and app.order_items, as the catalog defines
-- them: order_id alone in phase 1, with user_id from phase 2 on (2_04_keys_include_user_id.sql).
SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
FROM pg_constraint
WHERE conrelid IN ('app.orders'::regclass, 'app.order_items'::regclass) AND contype IN ('p', 'f')
ORDER BY 1, 2;
