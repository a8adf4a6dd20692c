-- Maintain.java config --retention/--ahead/--enable/--disable/--lock-timeout/--lock-budget: changes lab.table's configuration.
-- Parameters (custom settings, empty or unset for the default): lab.table (required), lab.retention_months,
-- lab.premake_months, lab.enabled (true/false), lab.lock_timeout_ms, lab.lock_budget_ms.
SELECT * FROM maintenance.set_config(current_setting('lab.table'),
                                      nullif(current_setting('lab.retention_months', true), '')::int,
                                      nullif(current_setting('lab.premake_months', true), '')::int,
                                      nullif(current_setting('lab.enabled', true), '')::boolean,
                                      nullif(current_setting('lab.lock_timeout_ms', true), '')::int,
                                      nullif(current_setting('lab.lock_budget_ms', true), '')::int);
