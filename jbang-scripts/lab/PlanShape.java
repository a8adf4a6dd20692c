package lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The shape of a plan, not its times: EXPLAIN (FORMAT JSON) of a sql/ file's last statement under the given settings
 * (such as {@code enable_partitionwise_join = on}), with its joins and aggregates counted, and how many of them sit
 * below an Append, that is, run once per partition. Nothing is executed.
 */
public record PlanShape(String file, Map<String, String> settings, int joins, int joinsBelowAppend, int aggregates,
                        int aggregatesBelowAppend, String text) {
    public static PlanShape of(Node node, String sqlFile, Map<String, String> settings) {
        JsonNode plan = Explain.explained(node, Sql.file(sqlFile), settings, "COSTS OFF").get("Plan");
        int[] counts = new int[4];
        StringBuilder text = new StringBuilder();
        walk(plan, 0, false, counts, text);
        return new PlanShape(sqlFile, Map.copyOf(settings), counts[0], counts[1], counts[2], counts[3], text.toString().stripTrailing());
    }

    private static void walk(JsonNode plan, int depth, boolean belowAppend, int[] counts, StringBuilder text) {
        String type = plan.path("Node Type").asText();
        boolean join = type.endsWith("Join") || type.equals("Nested Loop");
        boolean aggregate = type.equals("Aggregate");
        if (join) {
            counts[0]++;
            if (belowAppend) counts[1]++;
        }
        if (aggregate) {
            counts[2]++;
            if (belowAppend) counts[3]++;
        }
        text.append("  ".repeat(depth)).append(depth == 0 ? "" : "-> ").append(type);
        if (plan.has("Strategy") && aggregate) text.append(" (").append(plan.get("Strategy").asText()).append(')');
        if (plan.has("Relation Name")) text.append(" on ").append(plan.get("Relation Name").asText());
        text.append('\n');
        boolean append = type.equals("Append") || type.equals("Merge Append");
        for (JsonNode child : plan.path("Plans")) walk(child, depth + 1, belowAppend || append, counts, text);
    }

    /** e.g. "1 join, above the Append" or "4 joins, each below the Append (one per pair of partitions)". */
    public String verdict() {
        StringBuilder sb = new StringBuilder();
        if (joins > 0) sb.append(count(joins, "join")).append(joinsBelowAppend == 0 ? ", above the Append"
                : joinsBelowAppend == joins ? ", each below the Append (one per pair of partitions)" : ", " + joinsBelowAppend + " below the Append");
        if (aggregates > 0) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(count(aggregates, "aggregate")).append(aggregatesBelowAppend == 0 ? ", above the Append"
                    : aggregatesBelowAppend == aggregates ? ", each below the Append (one per partition)" : ", " + aggregatesBelowAppend + " below the Append");
        }
        return sb.length() == 0 ? "no join and no aggregate" : sb.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return verdict();
    }
}
