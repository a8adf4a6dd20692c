package lab;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Everything in a database a command could change (sql/lab/database_fingerprint.sql: schemas, relations, functions,
 * the rows of every table and sequence), one line per object: equal snapshots, nothing changed at all.
 */
final class DatabaseSnapshot {
    private DatabaseSnapshot() {}

    static List<String> of(Node node) {
        Table t = node.run("lab/database_fingerprint.sql").lastTable();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) lines.add(t.getString(i, "kind") + " " + t.getString(i, "object") + " " + t.getString(i, "digest"));
        return lines;
    }
}
