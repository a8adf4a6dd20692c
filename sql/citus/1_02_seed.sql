-- Phase 1, step 2 (coordinator): seeds the tables when they are empty; a second run changes nothing.
-- Settings: lab.users (default 1000) and lab.orders (default 10000), the seed's volume at LAB_SCALE=demo.
-- The rows come from the functions of 1_01, so every run on every cluster holds the same rows.
INSERT INTO app.regions (region_id, name, country)
SELECT r.id, r.name, r.country
FROM (VALUES (1, 'eu-west', 'IE'), (2, 'eu-central', 'DE'), (3, 'us-east', 'US'), (4, 'us-west', 'US'),
             (5, 'ap-south', 'IN'), (6, 'ap-northeast', 'JP'), (7, 'sa-east', 'BR'), (8, 'af-south', 'ZA'))
     AS r(id, name, country)
WHERE NOT EXISTS (SELECT FROM app.regions);

INSERT INTO app.users (user_id, email, region_id, created_at)
SELECT u, 'user' || u || '@example.com', 1 + (u * 7) % 8,
       timestamptz '2023-01-01 00:00:00+00' + (u * 7919 % 730) * interval '1 day'
FROM generate_series(1, coalesce(nullif(current_setting('lab.users', true), ''), '1000')::bigint) AS u
WHERE NOT EXISTS (SELECT FROM app.users);

INSERT INTO app.orders
SELECT * FROM lab.citus_orders(1, coalesce(nullif(current_setting('lab.orders', true), ''), '10000')::bigint,
                               (SELECT count(*) FROM app.users))
WHERE NOT EXISTS (SELECT FROM app.orders);

INSERT INTO app.order_items
SELECT * FROM lab.citus_order_items(1, (SELECT count(*) FROM app.orders), (SELECT count(*) FROM app.users))
WHERE NOT EXISTS (SELECT FROM app.order_items);
