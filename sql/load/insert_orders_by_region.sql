-- Load simulator: one new order in app.orders_by_region, its region drawn with the seed data's skew.
-- Needs sql/base/00_lab_functions.sql.
INSERT INTO app.orders_by_region (customer_id, region, amount, status, created_at)
VALUES (lab.random_skewed_id(2000), lab.random_region(), round((5 + power(random(), 2) * 495)::numeric, 2),
        lab.random_order_status(), now())
RETURNING id;
