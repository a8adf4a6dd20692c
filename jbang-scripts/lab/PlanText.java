package lab;

import com.fasterxml.jackson.databind.JsonNode;

/** EXPLAIN's JSON drawn as an indented tree, with every scan marked scanned or never executed. */
final class PlanText {
    private PlanText() {}

    static String render(JsonNode explained) {
        StringBuilder sb = new StringBuilder();
        node(explained.get("Plan"), 0, sb);
        sb.append(String.format("Planning Time: %.3f ms%nExecution Time: %.3f ms",
                explained.path("Planning Time").asDouble(), explained.path("Execution Time").asDouble()));
        return sb.toString();
    }

    private static void node(JsonNode plan, int depth, StringBuilder sb) {
        String indent = "  ".repeat(depth);
        sb.append(indent).append(depth == 0 ? "" : "-> ");
        // as EXPLAIN's text says it: a postgres_fdw scan an Append runs asynchronously is an "Async Foreign Scan"
        if (plan.path("Async Capable").asBoolean(false)) sb.append("Async ");
        sb.append(plan.path("Node Type").asText());
        if (plan.has("Strategy") && !"Plain".equals(plan.get("Strategy").asText())) sb.append(" (").append(plan.get("Strategy").asText()).append(')');
        if (plan.has("Relation Name")) {
            sb.append(" on ").append(plan.path("Schema").asText("")).append('.').append(plan.get("Relation Name").asText());
        }
        if (plan.has("Index Name")) sb.append(" using ").append(plan.get("Index Name").asText());
        long loops = plan.path("Actual Loops").asLong();
        if (loops == 0) {
            sb.append("  (never executed)");
        } else {
            sb.append("  (rows=").append(plan.path("Actual Rows").asLong()).append(" loops=").append(loops).append(')');
        }
        if ((plan.has("Relation Name") || plan.has("Relations")) && loops > 0) sb.append("  <== scanned");
        sb.append('\n');
        String detail = indent + (depth == 0 ? "  " : "     ");
        for (String key : new String[] {"Relations", "Remote SQL", "Filter", "Index Cond", "Recheck Cond", "Hash Cond", "Join Filter"}) {
            if (plan.has(key)) sb.append(detail).append(key).append(": ").append(plan.get(key).asText()).append('\n');
        }
        if (plan.has("Rows Removed by Filter")) {
            sb.append(detail).append("Rows Removed by Filter: ").append(plan.get("Rows Removed by Filter").asLong()).append('\n');
        }
        if (plan.has("Subplans Removed")) {
            sb.append(detail).append("Subplans Removed: ").append(plan.get("Subplans Removed").asInt()).append('\n');
        }
        if (plan.has("Shared Hit Blocks") || plan.has("Shared Read Blocks")) {
            long hit = plan.path("Shared Hit Blocks").asLong();
            long read = plan.path("Shared Read Blocks").asLong();
            if (hit + read > 0) sb.append(detail).append("Buffers: shared hit=").append(hit).append(" read=").append(read).append('\n');
        }
        for (JsonNode child : plan.path("Plans")) node(child, depth + 1, sb);
    }
}
