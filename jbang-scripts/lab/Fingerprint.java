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
