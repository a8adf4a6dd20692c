-- Phase 2, step 4 (coordinator): the keys the distributed tables need. orders becomes unique on (user_id, order_id),
-- order_items on (user_id, order_id, line_no), and the foreign key between them includes user_id, so that an order
-- and its lines are always in colocated shards. Only when orders' key still lacks user_id: a rerun changes nothing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                   WHERE c.conrelid = 'app.orders'::regclass AND c.contype = 'p' AND a.attname = 'user_id') THEN
        ALTER TABLE app.order_items DROP CONSTRAINT order_items_order_fkey;
        ALTER TABLE app.order_items DROP CONSTRAINT order_items_pkey;
        ALTER TABLE app.orders DROP CONSTRAINT orders_pkey;
        ALTER TABLE app.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (user_id, order_id);
        ALTER TABLE app.order_items ADD CONSTRAINT order_items_pkey PRIMARY KEY (user_id, order_id, line_no);
        ALTER TABLE app.order_items ADD CONSTRAINT order_items_order_fkey
            FOREIGN KEY (user_id, order_id) REFERENCES app.orders (user_id, order_id);
    END IF;
END
$$;
