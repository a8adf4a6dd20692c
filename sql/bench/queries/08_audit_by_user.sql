-- Audit-style (seed 003): one user's (here: tenant's) latest 100 rows over the whole year.
SELECT * FROM app.:"table" WHERE tenant_id = :'tenant' ORDER BY occurred_at DESC LIMIT 100;
