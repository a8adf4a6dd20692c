-- A sale dated August 2024 in the ordinary app.sales_data: the composite table has no quarter for it and no
-- DEFAULT at the quarter level, so the migration's copy fails on this row, and its one transaction rolls back
-- whole: app.sales_data stays the ordinary table it was, with every row, and no app.sales_data_old appears.
INSERT INTO app.sales_data (sale_date, category, product_name, amount, quantity)
VALUES ('2024-08-15', 'books', 'a late sale', 12.50, 1)
RETURNING id;
