-- Tables the generator must refuse to load, and a bystander that a name smuggling SQL must leave standing.
CREATE SCHEMA IF NOT EXISTS generate_test;
DROP VIEW IF EXISTS generate_test.events_view;
DROP TABLE IF EXISTS generate_test.wrong_types, generate_test.missing_column, generate_test.bystander;
CREATE TABLE generate_test.wrong_types (id bigint, tenant_id int, occurred_at timestamptz, event_type text, payload jsonb);
CREATE TABLE generate_test.missing_column (id uuid, tenant_id int, occurred_at timestamptz, event_type text);
CREATE TABLE generate_test.bystander (note text);
INSERT INTO generate_test.bystander VALUES ('still here');
CREATE VIEW generate_test.events_view AS SELECT * FROM generate_test.wrong_types;
