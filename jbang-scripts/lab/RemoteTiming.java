package lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What reads across the shards cost, measured (lesson 08): one tenant's month on its shard and through the
 * coordinator, postgres_fdw's fetch_size and async_capable. Times are shown and compared in words, not asserted (they
 * depend on the machine); the plans and results are claims.
 */
public final class RemoteTiming {
    private RemoteTiming() {}

    /** Median wall time in milliseconds of {@code runs} executions of a query, after one warm-up. */
    public static double medianMs(Node node, Sql sql, int runs) {
        sql.run(node, Map.of());
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            sql.run(node, Map.of());
            times[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(times);
        return times[(runs - 1) / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A table's rows as text, to compare results from different servers. */
    static List<String> asText(Table t) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            StringBuilder row = new StringBuilder();
            for (String c : t.columnNames()) row.append(c).append('=').append(t.column(c).getString(i)).append(' ');
            rows.add(row.toString().strip());
        }
        return rows;
    }

    /**
     * One tenant's month on its shard, routed there by the application's shard map, and through the coordinator (as
     * written, pushed): times, the ratio of each to the shard's own time, and the plan the routed read ran on the shard.
     */
    public record TenantRoute(int tenant, String shard, int groups, Table table, double onShardMs, double routedMs, double pushedMs,
                              PlanSummary routedPlan) {
        /** Through the coordinator, pushed, over on the shard: the target is below 2. */
        public double ratio() {
            return pushedMs / onShardMs;
        }

        /** Routed by the shard map over on the shard: the target is at most {@link Bench#SLOWER_THAN_SHARDED}. */
        public double routedRatio() {
            return routedMs / onShardMs;
        }

        /** Both targets in words: met, or missed and by how much, from the times of this run. */
        public String verdict() {
            return String.format(Locale.ROOT, "on %s %.2f ms; routed by the shard map %.2f ms: %.2fx, %s; through the coordinator (pushed) "
                            + "%.2f ms: %.2fx, %s", shard, onShardMs, routedMs, routedRatio(),
                    routedRatio() <= Bench.SLOWER_THAN_SHARDED ? "within the " + Bench.SLOWER_THAN_SHARDED + "x target"
                            : "the " + Bench.SLOWER_THAN_SHARDED + "x target is missed in this run",
                    pushedMs, ratio(), ratio() < 2 ? "within the 2x target" : "the 2x target is missed in this run");
        }
    }

    /**
     * Tenant {@link Bench#TENANT}'s June by event type: the same file on its shard, routed there by the application's
     * shard map ({@link Sharding#map()}: one round trip, the shard's bounds checked in it), and on the coordinator as
     * written and pushed. Each timed as the benchmark times a query (sent to last row read), median of {@code runs}
     * after one warm-up run.
     */
    public static TenantRoute tenantMonth(Sharding sharding, int runs) {
        int tenant = Bench.TENANT;
        ShardMap.Routed routed = sharding.map().route("03_tenant_month.sql", tenant);
        Node shard = routed.shard();
        Node coordinator = sharding.coordinator();
        Sql onShard = Pushdowns.benchQuery("bench/queries/03_tenant_month.sql", "events_shard");
        Sql written = Pushdowns.benchQuery("bench/queries/03_tenant_month.sql", "events_sharded");
        Sql pushed = Pushdowns.benchQuery("bench/queries/pushdown/03_tenant_month.sql", "events_sharded");
        Table shardRows = onShard.run(shard, Map.of()).lastTable();
        Claim.equal("the shard map sends tenant " + tenant + " to the shard the coordinator's hash names", sharding.shardOf(tenant), shard.name());
        Claim.equal("routed by the map, the tenant's month is its shard's own result", asText(shardRows), asText(routed.rows()));
        Claim.equal("through the coordinator, pushed, the same result", asText(shardRows), asText(pushed.run(coordinator, Map.of()).lastTable()));
        StringColumn where = StringColumn.create("where");
        DoubleColumn median = DoubleColumn.create("median_ms");
        DoubleColumn ratio = DoubleColumn.create("x_on_shard");
        Map<String, java.util.function.Supplier<BenchTiming.Outcome>> sides = new java.util.LinkedHashMap<>();
        sides.put("on " + shard.name() + " (app.events_shard)", () -> BenchTiming.execute(shard, onShard));
        sides.put("routed by the shard map to " + shard.name(), routed::timed);
        sides.put("through the coordinator, as written", () -> BenchTiming.execute(coordinator, written));
        sides.put("through the coordinator, pushed", () -> BenchTiming.execute(coordinator, pushed));
        List<Double> medians = inTurns(List.copyOf(sides.values()), runs);
        int i = 0;
        for (var side : sides.entrySet()) {
            double ms = medians.get(i++);
            where.append(side.getKey());
            median.append(round(ms));
            ratio.append(round(ms / medians.get(0)));
        }
        Table table = Table.create("tenant " + tenant + "'s June by event type (" + shardRows.rowCount() + " groups)", where, median, ratio);
        return new TenantRoute(tenant, shard.name(), shardRows.rowCount(), table, medians.get(0), medians.get(1), medians.get(3),
                Explain.analyze(shard, routed.sql()));
    }

    /**
     * Each query's median of {@code runs} timed runs after one warm-up, the queries run in turns (one run of each, then
     * the next round) so that what the machine does meanwhile weighs on all alike; each run timed from sending the
     * query to reading its last row.
     */
    private static List<Double> inTurns(List<java.util.function.Supplier<BenchTiming.Outcome>> queries, int runs) {
        queries.forEach(java.util.function.Supplier::get);
        double[][] times = new double[queries.size()][runs];
        for (int i = 0; i < runs; i++) {
            for (int q = 0; q < queries.size(); q++) times[q][i] = queries.get(q).get().ms();
        }
        return java.util.Arrays.stream(times).map(t -> Bench.percentile(t, 50)).toList();
    }

    /** Plans side by side: the rows the coordinator received from the shards, the server's time, the client's median. */
    static Table planTable(String title, List<String> labels, List<PlanSummary> plans, List<Double> medians) {
        StringColumn label = StringColumn.create("query");
        LongColumn rows = LongColumn.create("rows_from_shards");
        DoubleColumn execution = DoubleColumn.create("execution_ms");
        DoubleColumn median = DoubleColumn.create("median_ms");
        for (int i = 0; i < plans.size(); i++) {
            label.append(labels.get(i));
            rows.append(plans.get(i).rowsRead());
            execution.append(round(plans.get(i).executionMs()));
            median.append(round(medians.get(i)));
        }
        return Table.create(title, label, rows, execution, median);
    }

    /**
     * The audit month (rows travel) and the pushed month count (two rows travel) at fetch_size 100 and 10000: the same
     * rows and the same Remote SQL either way; fetch_size back to its default afterwards, whatever happened.
     */
    public static Table fetchSize(Sharding sharding, int runs) {
        Node coordinator = sharding.coordinator();
        Sql audit = Pushdowns.benchQuery("bench/queries/07_audit_month.sql", "events_sharded");
        Sql count = Pushdowns.benchQuery("bench/queries/pushdown/02_month_count.sql", "events_sharded");
        long juneRows = Tables.number(Pushdowns.benchQuery("bench/queries/02_month_count.sql", "events_sharded").run(coordinator, Map.of()).lastTable(), "count", 0);
        List<String> labels = new ArrayList<>();
        List<PlanSummary> plans = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        Table large;
        for (String size : List.of("100 (default)", "10000")) {
            if (size.equals("10000")) {
                large = sharding.fetchSize(10000);
                Claim.equal("fetch_size 10000 on both shards", List.of("10000", "10000"), large.stringColumn("fetch_size").asList());
            }
            try {
                for (var q : List.of(Map.entry("audit month", audit), Map.entry("month count pushed", count))) {
                    medians.add(medianMs(coordinator, q.getValue(), runs));
                    plans.add(Explain.analyze(coordinator, q.getValue()));
                    labels.add(q.getKey() + ", fetch_size " + size);
                }
            } finally {
                if (size.equals("10000")) sharding.fetchSize(null);
            }
        }
        remoteSql(plans.get(0)).forEach(System.out::println);
        Claim.equal("the audit month: the month's rows travel, whatever the fetch_size", List.of(juneRows, juneRows),
                List.of(plans.get(0).rowsRead(), plans.get(2).rowsRead()));
        Claim.equal("and the shards are sent the same Remote SQL", remoteSql(plans.get(0)), remoteSql(plans.get(2)));
        Claim.equal("the pushed month count: two rows either way", List.of(2L, 2L), List.of(plans.get(1).rowsRead(), plans.get(3).rowsRead()));
        Claim.equal("fetch_size is back to postgres_fdw's default on both shards", List.of("100 (default)", "100 (default)"),
                sharding.fetchSize(null).stringColumn("fetch_size").asList());
        return planTable("fetch_size 100 (default) and 10000", labels, plans, medians);
    }

    private static List<String> remoteSql(PlanSummary plan) {
        return Pushdowns.remoteSql(plan);
    }

    /** The pushed month count with async_capable on and off: plans, the server's and the client's times. */
    public record Async(PlanSummary on, PlanSummary off, double onMs, double offMs, Table table) {
        /** What this run measured, in words: which setting was faster on the server, and by how much. */
        public String measured() {
            double a = on.executionMs(), b = off.executionMs();
            return String.format(Locale.ROOT, "server time (execution_ms): async on %.2f ms, off %.2f ms; client median: on %.2f ms, off %.2f ms: "
                    + "%s", a, b, onMs, offMs, a < b ? "async on was faster on the server in this run" : "async on was no faster on the server in this run");
        }
    }

    /** async_capable off (one shard after the other), then on again, whatever happened; the plans' claims. */
    public static Async asyncCapable(Sharding sharding, int runs) {
        Node coordinator = sharding.coordinator();
        Sql count = Pushdowns.benchQuery("bench/queries/pushdown/02_month_count.sql", "events_sharded");
        double onMs = medianMs(coordinator, count, runs);
        PlanSummary on = Explain.analyze(coordinator, count);
        double offMs;
        PlanSummary off;
        try {
            Table setting = sharding.asyncCapable(false);
            Claim.equal("async_capable off on both shards", List.of("false", "false"), setting.stringColumn("async_capable").asList());
            offMs = medianMs(coordinator, count, runs);
            off = Explain.analyze(coordinator, count);
        } finally {
            sharding.asyncCapable(true);
        }
        System.out.println("-- async_capable false\n" + off.planText());
        Claim.that("then the plan has no Async Foreign Scan: one shard after the other", !off.planText().contains("Async Foreign Scan"));
        Claim.that("and the counts are still computed on the shards", off.planText().contains("Relations: Aggregate on"));
        Claim.equal("async_capable back on on both shards", List.of("true", "true"), sharding.asyncCapable(true).stringColumn("async_capable").asList());
        Claim.that("and the plan shows the Async Foreign Scans again", Explain.analyze(coordinator, count).planText().contains("Async Foreign Scan"));
        Table table = planTable("the pushed month count, async_capable on and off", List.of("async_capable true", "async_capable false"),
                List.of(on, off), List.of(onMs, offMs));
        return new Async(on, off, onMs, offMs, table);
    }
}
