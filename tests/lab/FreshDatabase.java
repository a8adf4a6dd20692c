package lab;

import java.util.List;

/**
 * A database of its own on the embedded partitioned server, empty (nothing the lab installs or creates), for the
 * checks that an operation changes nothing at all: a runbook pointed at it with {@link #url()} ({@code --dsn}) would
 * have to prepare everything, so any preparation shows in its {@link #fingerprint()}. Dropped on close.
 */
final class FreshDatabase implements AutoCloseable {
    private final Node server;
    private final String name;
    private final Node node;

    FreshDatabase(String name) {
        this.server = Lab.connect("embedded").node("partitioned");
        this.name = name;
        drop();
        server.query("CREATE DATABASE " + name); // a name of the test's own, never user input
        Dsn d = server.dsn();
        this.node = new Node("fresh", new Dsn(d.host(), d.port(), name, d.user(), d.password(), d.query()));
    }

    Node node() {
        return node;
    }

    /** For --dsn. */
    String url() {
        return node.dsn().url(true);
    }

    /** A runbook's arguments, pointed at this database. */
    String[] withDsn(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--dsn", url()));
        return all.toArray(String[]::new);
    }

    /** Every schema, relation, function, constraint and table's rows ({@link DatabaseSnapshot}). */
    List<String> fingerprint() {
        return DatabaseSnapshot.of(node);
    }

    private void drop() {
        server.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Override
    public void close() {
        node.close();
        drop();
    }
}
