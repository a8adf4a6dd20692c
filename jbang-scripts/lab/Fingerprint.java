package lab;

import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * A table's row count and a checksum over its whole rows: the proof that nothing was lost or changed
 * when rows move (between tables, partitions, shards or servers), compared before and after.
 */
public record Fingerprint(String table, long rows, String checksum) {

    public static Fingerprint of(Node node, String table) {
        Table t = node.run("lab/table_fingerprint.sql", Map.of("lab.table_name", table)).lastTable();
        if (t.rowCount() == 0) throw new BadInput("no table " + table + " on node " + node.name());
        return new Fingerprint(table, ((Number) t.column("row_count").get(0)).longValue(), t.getString(0, "row_checksum"));
    }

    /**
     * Everything in a database a command could change (sql/lab/database_fingerprint.sql: schemas, relations,
     * functions, constraints, the rows of every table and sequence), one line per object: equal lists, nothing changed.
     */
    public static java.util.List<String> databaseLines(Node node) {
        return node.run("lab/database_fingerprint.sql").lastTable().stringColumn("line").asList();
    }

    /** {@link #databaseLines} in short, to show and compare: how many objects, and one digest of them all. */
    public record OfDatabase(int objects, String digest) {}

    public static OfDatabase ofDatabase(Node node) {
        java.util.List<String> lines = databaseLines(node);
        try {
            var md5 = java.security.MessageDigest.getInstance("MD5");
            for (String line : lines) md5.update((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new OfDatabase(lines.size(), java.util.HexFormat.of().formatHex(md5.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Same rows, whatever the table's name. */
    public boolean sameRowsAs(Fingerprint other) {
        return rows == other.rows && checksum.equals(other.checksum);
    }

    public static Table table(Fingerprint... prints) {
        var name = tech.tablesaw.api.StringColumn.create("table");
        var rows = tech.tablesaw.api.LongColumn.create("rows");
        var checksum = tech.tablesaw.api.StringColumn.create("row checksum");
        for (Fingerprint f : prints) {
            name.append(f.table);
            rows.append(f.rows);
            checksum.append(f.checksum);
        }
        return Table.create("fingerprints", name, rows, checksum);
    }
}
