package lab;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One EXPLAIN ANALYZE read for a lesson. {@code partitionsTotal} is 0 when the query touched no partitioned
 * table. A partition missing from the plan was pruned either by the planner or when the executor started
 * (EXPLAIN counts the latter as {@code Subplans Removed}, without naming them); one in the plan that never
 * ran was pruned during execution.
 */
public record PlanSummary(
        String query,
        int partitionsTotal,
        int partitionsInPlan,
        int partitionsScanned,
        int subplansRemoved,
        List<String> scannedPartitions,
        List<String> notInPlan,
        List<String> neverExecuted,
        List<String> relations,
        long rowsRead,
        long sharedBuffers,
        double planningMs,
        double executionMs,
        String planText) {

    /** Partitions the planner removed: those missing from the plan, less the ones the executor removed at start. */
    public int prunedAtPlanTime() {
        return notInPlan.size() - subplansRemoved;
    }

    /** e.g. "1 of 13 partitions scanned, 12 pruned at plan time". */
    public String verdict() {
        if (partitionsTotal == 0) {
            return "no partitioned table: " + String.join(", ", relations) + " (" + rowsRead + " rows read)";
        }
        StringBuilder sb = new StringBuilder().append(partitionsScanned).append(" of ").append(partitionsTotal)
                .append(" partitions scanned");
        if (prunedAtPlanTime() > 0) sb.append(", ").append(prunedAtPlanTime()).append(" pruned at plan time");
        if (subplansRemoved > 0) sb.append(", ").append(subplansRemoved).append(" removed at executor start (Subplans Removed)");
        if (!neverExecuted.isEmpty()) sb.append(", ").append(neverExecuted.size()).append(" never executed");
        return sb.toString();
    }

    private static final java.util.regex.Pattern SCAN =
            java.util.regex.Pattern.compile("(?:Async )?(Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan|Foreign Scan) on ");

    /** The plan's scans counted by kind, in the order they first appear: "12 x Index Scan, 1 x Seq Scan". */
    public String scanKinds() {
        java.util.Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
        for (var m = SCAN.matcher(planText); m.find(); ) kinds.merge(m.group(1), 1, Integer::sum);
        return kinds.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
    }

    /** What a coordinator sent to its shards: the statements of the plan's "Remote SQL:" lines (a VERBOSE plan). */
    public List<String> remoteSql() {
        return planText.lines().map(String::strip).filter(l -> l.startsWith("Remote SQL: "))
                .map(l -> l.substring("Remote SQL: ".length())).toList();
    }

    /** Whether a shard computed an aggregate: postgres_fdw's "Relations: Aggregate on (...)" in the plan. */
    public boolean aggregateOnShards() {
        return planText.contains("Relations: Aggregate on");
    }

    /** The plan as text, scanned partitions marked, followed by the partitions pruning removed. */
    public String report() {
        StringBuilder sb = new StringBuilder(planText);
        if (!notInPlan.isEmpty()) {
            sb.append("\n[pruned, not in the plan] ").append(String.join(", ", notInPlan));
        }
        if (!neverExecuted.isEmpty()) {
            sb.append("\n[pruned during execution, never executed] ").append(String.join(", ", neverExecuted));
        }
        return sb.append("\n=> ").append(verdict()).toString();
    }

    /** Several summaries side by side, e.g. plain vs partitioned. */
    public static Table compare(String title, List<String> labels, List<PlanSummary> plans) {
        StringColumn label = StringColumn.create("query");
        StringColumn scanned = StringColumn.create("partitions scanned");
        DoubleColumn rows = DoubleColumn.create("rows read");
        DoubleColumn buffers = DoubleColumn.create("buffers");
        DoubleColumn ms = DoubleColumn.create("execution ms");
        for (int i = 0; i < plans.size(); i++) {
            PlanSummary p = plans.get(i);
            label.append(labels.get(i));
            scanned.append(p.partitionsTotal == 0 ? "not partitioned" : p.partitionsScanned + " of " + p.partitionsTotal);
            rows.append(p.rowsRead);
            buffers.append(p.sharedBuffers);
            ms.append(Math.round(p.executionMs * 100) / 100.0);
        }
        return Table.create(title, label, scanned, rows, buffers, ms);
    }

    @Override
    public String toString() {
        return verdict();
    }
}
