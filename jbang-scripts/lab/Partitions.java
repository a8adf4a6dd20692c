package lab;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/** What the catalogs say about a partitioned table: its tree, its leaves, its indexes. */
public final class Partitions {
    private Partitions() {}

    /** Level, partition, parent, strategy, key, bound, leaf or not, exact rows and size of every member. */
    public static Table tree(Node node, String table) {
        return named(node, "lab/partition_tree.sql", table, "partitions of " + table);
    }

    /** Leaf partitions and their bounds, in bound order (DEFAULT last). */
    public static Table leaves(Node node, String table) {
        return named(node, "lab/partition_leaves.sql", table, "leaf partitions of " + table);
    }

    public static List<String> leafNames(Node node, String table) {
        return leaves(node, table).stringColumn("partition").asList();
    }

    /** Each leaf's indexes and the parent index each one is attached to. */
    public static Table indexes(Node node, String table) {
        return named(node, "lab/partition_indexes.sql", table, "indexes on the partitions of " + table);
    }

    private static Table named(Node node, String file, String table, String title) {
        requireTable(node, table);
        return node.run(file, Map.of("lab.table_name", table)).lastTable().setName(title);
    }

    static void requireTable(Node node, String table) {
        if (node.scalar("SELECT to_regclass(?) IS NOT NULL", table).equals(Boolean.FALSE)) {
            throw new BadInput("no table " + table + " on node " + node.name());
        }
    }
}
