package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Table;

/**
 * Reads across shards, checked (lesson 08): which aggregates postgres_fdw computes on the shards, the benchmark's
 * queries as written and in the form the shards compute, and the plans that show it. Each method checks its claims
 * with {@link Claim} (printing them) and returns what the lesson shows.
 */
public final class Pushdowns {
    private Pushdowns() {}

    /** The three plans of "across both shards": per tenant partitionwise and not, per event type. */
    public record Aggregates(PlanSummary perTenant, PlanSummary perTenantOff, PlanSummary perType) {
        public Table table() {
            return PlanSummary.compare("across both shards", List.of("per tenant, partitionwise", "per tenant, setting off",
                    "per event type, partitionwise"), List.of(perTenant, perTenantOff, perType));
        }
    }

    /**
     * Events per tenant with enable_partitionwise_aggregate on (computed on both shards at once, one row per tenant
     * back) and off (every row back); events per event type (every row back even partitionwise); same results.
     */
    public static Aggregates byTenantAndByType(Sharding sharding, long tenantsWithEvents, long total) {
        var pushed = sharding.aggregateByTenant(true);
        var notPushed = sharding.aggregateByTenant(false);
        var byType = sharding.aggregateByEventType(true);
        Claim.that("per tenant, partitionwise: the aggregate runs on the shards (Aggregate on ...)", pushed.planText().contains("Aggregate on"));
        Claim.that("on both shards at once (Async Foreign Scan)", pushed.planText().contains("Async Foreign Scan"));
        Claim.that("per tenant, partitionwise: " + pushed.verdict(), pushed.partitionsTotal() == 2 && pushed.partitionsScanned() == 2);
        Claim.equal("the shards send back one row per tenant, not the rows", tenantsWithEvents, pushed.rowsRead());
        Claim.that("per tenant, setting off: no aggregate on the shards", !notPushed.planText().contains("Aggregate on"));
        Claim.equal("every row travels to the coordinator", total, notPushed.rowsRead());
        Claim.that("per event type, even partitionwise: no aggregate on the shards (the key is not in the GROUP BY)",
                !byType.planText().contains("Aggregate on"));
        Claim.equal("every row travels to the coordinator", total, byType.rowsRead());
        Node coordinator = sharding.coordinator();
        var perTenantOn = resultOf(coordinator, "fdw/q_aggregate_by_tenant.sql", true);
        Claim.that("pushed down or not, the same count for each of the " + perTenantOn.size() + " tenants",
                perTenantOn.equals(resultOf(coordinator, "fdw/q_aggregate_by_tenant.sql", false)));
        Claim.that("per event type too, partitionwise or not", resultOf(coordinator, "fdw/q_aggregate_by_event_type.sql", true)
                .equals(resultOf(coordinator, "fdw/q_aggregate_by_event_type.sql", false)));
        return new Aggregates(pushed, notPushed, byType);
    }

    /** A query file's result, its first column to its second, with enable_partitionwise_aggregate on or off. */
    static Map<String, Long> resultOf(Node coordinator, String file, boolean partitionwise) {
        Table rows = Sql.file(file).withVariables(Map.of("partitionwise", partitionwise ? "on" : "off")).run(coordinator, Map.of()).lastTable();
        Map<String, Long> result = new TreeMap<>();
        for (int i = 0; i < rows.rowCount(); i++) result.put(String.valueOf(rows.get(i, 0)), Tables.number(rows, rows.column(1).name(), i));
        return result;
    }

    /** The benchmark's constants (Bench.QUERY_CONSTANTS) with the table a file of sql/bench/queries/ reads. */
    public static Sql benchQuery(String file, String table) {
        Map<String, String> variables = new TreeMap<>(Bench.QUERY_CONSTANTS);
        variables.put("table", table);
        return Sql.file(file).withVariables(variables);
    }

    /** The four benchmark queries that have a form the shards compute, each compared: 02, 03, 04 and 09. */
    public record Benchmark(Sharding.Pushdown monthCount, Sharding.Pushdown tenantMonth, Sharding.Pushdown rollup,
                            Sharding.Pushdown byAction) {
        public List<Sharding.Pushdown> all() {
            return List.of(monthCount, tenantMonth, rollup, byAction);
        }

        public Table table() {
            return Sharding.pushdownTable(all());
        }
    }

    /**
     * Each of the four as written and pushed ({@link Sharding#pushdown}), with its claims: the pushed form computed on
     * the shards and the written one not, the same rows, and the rows each brings to the coordinator.
     */
    public static Benchmark benchmarkQueries(Sharding sharding, int runs, long total) {
        List<Sharding.Pushdown> all = new ArrayList<>();
        for (String file : List.of("02_month_count.sql", "03_tenant_month.sql", "04_monthly_rollup.sql", "09_audit_by_action.sql")) {
            all.add(sharding.pushdown(file, runs));
        }
        var b = new Benchmark(all.get(0), all.get(1), all.get(2), all.get(3));
        Node coordinator = sharding.coordinator();
        long juneRows = Tables.number(benchQuery("bench/queries/02_month_count.sql", "events_sharded").run(coordinator, Map.of()).lastTable(), "count", 0);
        Table tenantJune = benchQuery("bench/queries/03_tenant_month.sql", "events_sharded").run(coordinator, Map.of()).lastTable();
        Table eventTypes = benchQuery("bench/queries/09_audit_by_action.sql", "events_sharded").run(coordinator, Map.of()).lastTable();
        for (var p : all) {
            Claim.that(p.query() + ": the pushed form is computed on the shards (Relations: Aggregate on)", p.computedOnShards());
            Claim.that(p.query() + ": as written, it is not", !p.asWritten().planText().contains("Relations: Aggregate on"));
            Claim.that(p.query() + ": both forms give the same rows", p.sameRows());
        }
        String tenant = Bench.QUERY_CONSTANTS.get("tenant");
        Claim.equal("month count as written: the month's rows travel to the coordinator", juneRows, b.monthCount().asWritten().rowsRead());
        Claim.equal("pushed: one count from each shard", 2L, b.monthCount().pushed().rowsRead());
        Claim.equal("tenant " + tenant + "'s month as written: the tenant's rows of June travel", (long) tenantJune.longColumn("events").sum(),
                b.tenantMonth().asWritten().rowsRead());
        Claim.equal("pushed: one row per event type, the groups themselves", (long) tenantJune.rowCount(), b.tenantMonth().pushed().rowsRead());
        Claim.that("from the tenant's shard only: " + b.tenantMonth().pushed().verdict(), b.tenantMonth().pushed().partitionsScanned() == 1);
        Claim.equal("monthly rollup as written: every row of the year travels", total, b.rollup().asWritten().rowsRead());
        long rollupRows = b.rollup().pushed().rowsRead();
        Claim.that("pushed: at most one count per shard and day (" + rollupRows + " <= 2 x 366)", rollupRows > 0 && rollupRows <= 2 * 366);
        Claim.equal("by action as written: every row travels", total, b.byAction().asWritten().rowsRead());
        long byActionRows = b.byAction().pushed().rowsRead();
        Claim.that("pushed: at most one count per shard and event type (" + byActionRows + " <= 2 x " + eventTypes.rowCount() + ")",
                byActionRows > 0 && byActionRows <= 2L * eventTypes.rowCount());
        long writtenRows = all.stream().mapToLong(p -> p.asWritten().rowsRead()).sum();
        long pushedRows = all.stream().mapToLong(p -> p.pushed().rowsRead()).sum();
        Claim.that(String.format(Locale.ROOT, "the four together bring %,d rows to the coordinator instead of %,d: far fewer", pushedRows, writtenRows),
                pushedRows * 5 < writtenRows);
        return b;
    }

    /** The Remote SQL lines of a plan: what the shards are sent. */
    public static List<String> remoteSql(PlanSummary plan) {
        return plan.planText().lines().map(String::strip).filter(l -> l.startsWith("Remote SQL:")).toList();
    }

    /** The plans' shapes: the month count's two counts at once, each a count(*), the rollup grouped by day on the shards. */
    public static void plansShowTheShardsWork(Benchmark b) {
        Claim.that("the pushed month count runs on both shards at once (Async Foreign Scan)",
                b.monthCount().pushed().planText().contains("Async Foreign Scan"));
        Claim.that("each shard is sent a count(*), not a row list (Remote SQL: SELECT count(*) ...)",
                remoteSql(b.monthCount().pushed()).stream().allMatch(l -> l.contains("SELECT count(*)")));
        Claim.that("the rollup's shards group by the UTC day (Remote SQL: ... GROUP BY 1)",
                remoteSql(b.rollup().pushed()).stream().allMatch(l -> l.contains("GROUP BY 1")));
    }
}
