package lab;

import static lab.Bench.COORDINATOR_ROUTE;
import static lab.Bench.DIRECT_ROUTE;
import static lab.Bench.FIRST_MONTH;
import static lab.Bench.LAST_MONTH;
import static lab.Bench.SHARD_AWARE_ROUTE;
import static lab.Bench.TENANTS;
import static lab.Bench.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lab.Bench.Layout;
import lab.Bench.Load;
import tech.tablesaw.api.Table;

/**
 * The benchmark's load phase ({@link Bench}): each layout's table created afresh and filled with the same generated
 * events, every load recorded on its server (lab.bench_loads), and those records checked before a run times anything.
 */
final class BenchLoading {
    private BenchLoading() {}

    /**
     * Creates each layout's table afresh with the seed's indexes and loads {@code 12 x scale.rowsPerMonth()} events of
     * 2024 into it, the same rows everywhere (same seed); the sharded layout three times, emptied in between: through the
     * coordinator, straight into the shards by the coordinator's per-tenant map, and shard-aware (routed by the hash
     * computed here). Each load is recorded on its server (lab.bench_loads) for later runs to check.
     */
    public static List<Load> load(Lab lab, List<Layout> layouts, Scale scale, long seed, Progress.Mode progress) {
        var request = new EventGenerator.Request("app.events", FIRST_MONTH, LAST_MONTH, scale.rowsPerMonth(), TENANTS, seed,
                EventGenerator.DEFAULT_CONNECTIONS, progress);
        List<Load> loads = new ArrayList<>();
        for (Layout layout : layouts.stream().map(Layout::loadedAs).distinct().toList()) {
            Node node = node(lab, layout);
            Map<String, String> table = Map.of("table", layout.table);
            switch (layout) {
                case plain, partitioned -> {
                    node.run(layout == Layout.plain ? "01-range/01_plain_table.sql" : "01-range/03_partitioned_table.sql",
                            Map.of("lab.year", Integer.toString(FIRST_MONTH.getYear())));
                    Sql.file("bench/indexes.sql").withVariables(table).run(node, Map.of());
                    var stats = EventGenerator.load(node, request.withTable(layout.qualifiedTable()));
                    Sql.file("bench/analyze.sql").withVariables(table).run(node, Map.of());
                    loads.add(record(node, new Load(layout, "COPY", stats.rows(), seed, seconds(stats)), scale));
                }
                case sharded, sharded_pushdown -> {
                    Sharding sharding = Sharding.on(lab);
                    sharding.build();
                    var through = sharding.loadThroughCoordinator(request);
                    loads.add(record(node, new Load(layout, COORDINATOR_ROUTE, through.rows(), seed, seconds(through)), scale));
                    sharding.build();
                    var direct = sharding.loadDirect(request);
                    loads.add(record(node, new Load(layout, DIRECT_ROUTE, direct.rows(), seed, seconds(direct)), scale));
                    sharding.build();
                    var shardAware = sharding.loadShardAware(request);
                    loads.add(record(node, new Load(layout, SHARD_AWARE_ROUTE, shardAware.rows(), seed, seconds(shardAware)), scale));
                }
            }
        }
        return loads;
    }


    private static double seconds(EventGenerator.Stats stats) {
        return stats.copying().toNanos() / 1e9;
    }

    private static Load record(Node node, Load load, Scale scale) {
        node.run("bench/record_load.sql", Map.of(
                "lab.layout", load.layout().name(), "lab.route", load.route(), "lab.table_name", load.layout().qualifiedTable(),
                "lab.scale", scale.name(), "lab.row_count", Long.toString(load.rows()), "lab.seed", Long.toString(load.seed()),
                "lab.seconds", String.format(Locale.ROOT, "%.3f", load.seconds()),
                "lab.rows_per_s", Long.toString(Math.round(load.rowsPerSecond()))));
        return load;
    }

    /**
     * The loads recorded for these layouts, checked against the scale: every layout loaded at it, with the same seed,
     * and its table holding exactly the rows loaded. Anything else is bad input, named.
     */
    public static List<Load> loaded(Lab lab, List<Layout> layouts, Scale scale) {
        List<Load> loads = new ArrayList<>();
        Long seed = null;
        for (Layout layout : layouts.stream().map(Layout::loadedAs).distinct().toList()) {
            Table recorded;
            try {
                recorded = node(lab, layout).run("bench/loads.sql", Map.of("lab.layout", layout.name())).lastTable();
            } catch (LabSqlException e) {
                if (!"42P01".equals(e.sqlState())) throw e; // lab.bench_loads missing: nothing was ever loaded there
                recorded = Table.create("none");
            }
            if (recorded.rowCount() == 0) {
                throw new BadInput("the " + layout + " layout was never loaded for the benchmark; load it first (--load --scale " + scale + ")");
            }
            long expected = 12L * scale.rowsPerMonth();
            for (int r = 0; r < recorded.rowCount(); r++) {
                String at = recorded.stringColumn("scale").get(r);
                Object now = recorded.column("rows_now").get(r);
                long rowsNow = now == null ? -1 : ((Number) now).longValue();
                if (!at.equals(scale.name()) || rowsNow != expected) {
                    throw new BadInput(layout.qualifiedTable() + " is loaded at scale " + at + " (" + (rowsNow < 0 ? "table missing" : String.format(Locale.ROOT, "%,d rows", rowsNow))
                            + "), not at scale " + scale + " (" + String.format(Locale.ROOT, "%,d rows", expected) + "); load it first (--load --scale " + scale + ")");
                }
                long rowSeed = ((Number) recorded.column("seed").get(r)).longValue();
                if (seed != null && seed != rowSeed) {
                    throw new BadInput("the layouts hold different rows (seeds " + seed + " and " + rowSeed + "); load them together (--load)");
                }
                seed = rowSeed;
                loads.add(new Load(layout, recorded.stringColumn("route").get(r), ((Number) recorded.column("row_count").get(r)).longValue(),
                        rowSeed, ((Number) recorded.column("seconds").get(r)).doubleValue()));
            }
        }
        return loads;
    }
}
