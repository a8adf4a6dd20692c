-- Benchmark: what a load did, kept on the layout's own server in lab.bench_loads (one row per layout and route; a
-- new load replaces the old row), so that a later benchmark run knows the scale and seed its data was loaded at.
CREATE SCHEMA IF NOT EXISTS lab;
CREATE TABLE IF NOT EXISTS lab.bench_loads (
    layout       text        NOT NULL,
    route        text        NOT NULL,
    table_name   text        NOT NULL,
    scale        text        NOT NULL,
    row_count    bigint      NOT NULL,
    seed         bigint      NOT NULL,
    seconds      numeric     NOT NULL,
    rows_per_s   bigint      NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (layout, route)
);
DELETE FROM lab.bench_loads WHERE layout = current_setting('lab.layout') AND route = current_setting('lab.route');
INSERT INTO lab.bench_loads (layout, route, table_name, scale, row_count, seed, seconds, rows_per_s)
VALUES (current_setting('lab.layout'), current_setting('lab.route'), current_setting('lab.table_name'),
        current_setting('lab.scale'), current_setting('lab.row_count')::bigint, current_setting('lab.seed')::bigint,
        current_setting('lab.seconds')::numeric, current_setting('lab.rows_per_s')::bigint);
