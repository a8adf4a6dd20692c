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

    /**
     * Row parity with an ordinary copy of the same rows (a migration's {@code _old} table): per leaf, its rows and the
     * copy's rows that satisfy the leaf's partition constraint, as PostgreSQL states it. See {@link #parityHolds}.
     */
    public static Table parity(Node node, String table, String copy) {
        requireTable(node, table);
        requireTable(node, copy);
        return node.run("lab/partition_parity.sql", Map.of("lab.table_name", table, "lab.compare_table", copy)).lastTable()
                .setName("rows per partition: " + table + " and " + copy);
    }

    /** Every leaf holds exactly the copy's rows that belong in it, and the leaves together hold all of the copy's rows. */
    public static boolean parityHolds(Table parity, long copyRows) {
        var inPartitions = parity.longColumn("rows_in_partition");
        var inCopy = parity.longColumn("rows_in_compare_table");
        for (int i = 0; i < parity.rowCount(); i++) {
            if (inPartitions.get(i).longValue() != inCopy.get(i).longValue()) return false;
        }
        return parity.rowCount() > 0 && (long) inPartitions.sum() == copyRows && (long) inCopy.sum() == copyRows;
    }

    /** Each index declared on the table: on how many leaves it exists, and which leaves lack it. */
    public static Table indexCoverage(Node node, String table) {
        return named(node, "lab/partition_index_coverage.sql", table, "indexes of " + table + " on its leaf partitions");
    }

    /** Every index declared on the table exists on every leaf (and the table has at least one index). */
    public static boolean everyLeafIndexed(Table coverage) {
        if (coverage.rowCount() == 0) return false;
        for (int i = 0; i < coverage.rowCount(); i++) {
            if (((Number) coverage.column("leaves_with_index").get(i)).longValue()
                    != ((Number) coverage.column("leaf_partitions").get(i)).longValue()) return false;
        }
        return true;
    }

    public static boolean exists(Node node, String table) {
        return node.scalar("SELECT to_regclass(?) IS NOT NULL", table).equals(Boolean.TRUE);
    }

    private static Table named(Node node, String file, String table, String title) {
        requireTable(node, table);
        return node.run(file, Map.of("lab.table_name", table)).lastTable().setName(title);
    }

    static void requireTable(Node node, String table) {
        if (!exists(node, table)) {
            throw new BadInput("no table " + table + " on node " + node.name());
        }
    }
}
