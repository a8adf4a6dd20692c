package lab;

import java.util.List;

/**
 * Everything in a database a command could change (sql/lab/database_fingerprint.sql: schemas, relations, functions,
 * constraints, the rows of every table and sequence), one line per object: equal snapshots, nothing changed at all.
 */
final class DatabaseSnapshot {
    private DatabaseSnapshot() {}

    static List<String> of(Node node) {
        return Fingerprint.databaseLines(node);
    }
}
