package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Runs {@code EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON)} (VERBOSE for the schema of each relation) on the last statement of a sql/ file (earlier ones,
 * such as SET or PREPARE, run first in the same session) and reads the plan as a lesson needs it: which
 * partitions were scanned out of how many, how many subplans run-time pruning removed, buffers, times.
 */
public final class Explain {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A schema-qualified relation followed by its alias, as VERBOSE prints them in "Relations". */
    private static final java.util.regex.Pattern PUSHED_DOWN_RELATION =
            java.util.regex.Pattern.compile("((?:\"[^\"]+\"|[a-z_][a-z0-9_$]*)\\.(?:\"[^\"]+\"|[a-z_][a-z0-9_$]*))(?=[ )])");

    private Explain() {}

    public static PlanSummary analyze(Node node, Sql sql) {
        return analyze(node, sql, Map.of());
    }

    public static PlanSummary analyze(Node node, Sql sql, Map<String, String> settings) {
        JsonNode explained = explained(node, sql, settings, "ANALYZE, BUFFERS, VERBOSE");
        return summarise(node, sql.statements().get(sql.statements().size() - 1), explained);
    }

    /**
     * {@code EXPLAIN (<options>, FORMAT JSON)} of a sql/ file's last statement, its settings and earlier statements
     * (SET, PREPARE) applied first in the same session and reset after: the server's explained object as it prints it.
     */
    static JsonNode explained(Node node, Sql sql, Map<String, String> settings, String options) {
        List<String> statements = sql.statements();
        if (statements.isEmpty()) throw new IllegalArgumentException(sql.name() + " has no statement to explain");
        String query = statements.get(statements.size() - 1);
        try (Connection c = node.connection()) {
            try (Statement s = c.createStatement()) {
                for (var e : settings.entrySet()) {
                    try (var ps = c.prepareStatement("SELECT set_config(?, ?, false)")) {
                        ps.setString(1, e.getKey());
                        ps.setString(2, e.getValue());
                        ps.execute();
                    }
                }
                for (String setup : statements.subList(0, statements.size() - 1)) s.execute(setup);
                try (ResultSet rs = s.executeQuery("EXPLAIN (" + options + ", FORMAT JSON) " + query)) {
                    rs.next();
                    return JSON.readTree(rs.getString(1)).get(0);
                }
            } finally {
                Node.resetSession(c); // PREPAREd statements and SETs must not outlive the lesson step
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), query, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable EXPLAIN output: " + e.getMessage(), e);
        }
    }

    private static PlanSummary summarise(Node node, String query, JsonNode explained) {
        JsonNode root = explained.get("Plan");
        List<ScanNode> scans = new ArrayList<>();
        int[] subplansRemoved = {0};
        collect(root, scans, subplansRemoved);

        Set<String> relations = new LinkedHashSet<>();
        scans.forEach(s -> relations.add(s.relation()));
        Map<String, Long> leavesOfRoot = new LinkedHashMap<>();
        if (!relations.isEmpty()) {
            Table roots = node.run("lab/partition_roots.sql", Map.of("lab.relations", String.join(",", relations))).lastTable();
            for (int r = 0; r < roots.rowCount(); r++) {
                leavesOfRoot.put(roots.stringColumn("root").get(r), ((Number) roots.column("root_leaf_count").get(r)).longValue());
            }
        }
        List<String> allLeaves = new ArrayList<>();
        for (var e : leavesOfRoot.entrySet()) {
            if (e.getValue() > 0) allLeaves.addAll(Partitions.leafNames(node, e.getKey()));
        }
        Set<String> inPlan = new LinkedHashSet<>();
        Set<String> executed = new LinkedHashSet<>();
        for (ScanNode s : scans) {
            String name = s.relation();
            if (!allLeaves.contains(name)) continue;
            inPlan.add(name);
            if (s.loops() > 0) executed.add(name);
        }
        long rowsRead = scans.stream().filter(s -> s.loops() > 0).mapToLong(ScanNode::rowsRead).sum();
        return new PlanSummary(query,
                allLeaves.size(), inPlan.size(), executed.size(), subplansRemoved[0],
                List.copyOf(executed),
                allLeaves.stream().filter(l -> !inPlan.contains(l)).toList(),
                inPlan.stream().filter(l -> !executed.contains(l)).toList(),
                List.copyOf(relations),
                rowsRead,
                root.path("Shared Hit Blocks").asLong() + root.path("Shared Read Blocks").asLong(),
                explained.path("Planning Time").asDouble(),
                explained.path("Execution Time").asDouble(),
                PlanText.render(explained));
    }

    private static void collect(JsonNode plan, List<ScanNode> scans, int[] subplansRemoved) {
        subplansRemoved[0] += plan.path("Subplans Removed").asInt(0);
        if (plan.has("Relation Name")) {
            String schema = plan.path("Schema").asText("");
            String relation = qualified(schema, plan.get("Relation Name").asText());
            long loops = plan.path("Actual Loops").asLong();
            long rows = (plan.path("Actual Rows").asLong() + plan.path("Rows Removed by Filter").asLong()
                    + plan.path("Rows Removed by Index Recheck").asLong()) * Math.max(loops, 1);
            scans.add(new ScanNode(relation, loops, loops == 0 ? 0 : rows));
        } else if (plan.has("Relations")) {
            // a postgres_fdw scan with a join or an aggregate pushed down names its foreign tables only in this text,
            // e.g. "Aggregate on (app.events_mod2_r0 events_sharded)"; its rows are what the shard sent back
            long loops = plan.path("Actual Loops").asLong();
            var names = PUSHED_DOWN_RELATION.matcher(plan.get("Relations").asText());
            while (names.find()) {
                scans.add(new ScanNode(names.group(1), loops, loops == 0 ? 0 : plan.path("Actual Rows").asLong() * loops));
            }
        }
        for (JsonNode child : plan.path("Plans")) collect(child, scans, subplansRemoved);
    }

    /** As format('%I.%I') prints it, so plan names and catalog names compare equal. */
    static String qualified(String schema, String name) {
        return quoteIfNeeded(schema) + "." + quoteIfNeeded(name);
    }

    private static String quoteIfNeeded(String identifier) {
        return identifier.matches("[a-z_][a-z0-9_$]*") ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private record ScanNode(String relation, long loops, long rowsRead) {}
}
