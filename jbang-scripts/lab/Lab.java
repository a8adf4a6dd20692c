package lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The entry point of every lesson and runbook: {@code var lab = Lab.connect();} then {@code lab.node("partitioned")}.
 * The topology comes from {@code LAB_TOPOLOGY} (embedded by default), the data size from {@code LAB_SCALE}.
 */
public final class Lab implements AutoCloseable {
    private static Lab current;

    private final Topology topology;

    private Lab(Topology topology) {
        this.topology = topology;
    }

    static {
        Logs.quiet();
    }

    /**
     * The topology LAB_TOPOLOGY names; one per JVM, so every cell and every notebook in it shares the pools. The
     * sessions of a notebook (this is its call) say so in pg_stat_activity, unless a runbook named them already.
     */
    public static synchronized Lab connect() {
        if (Dsn.APPLICATION.equals(Dsn.applicationName())) Dsn.applicationName(Dsn.APPLICATION + " notebook");
        return connect(Settings.get("LAB_TOPOLOGY", "embedded"));
    }

    public static synchronized Lab connect(String topologyKind) {
        Topology.Kind kind = Topology.of(topologyKind).kind();
        if (current == null || current.topology.kind() != kind) {
            if (current != null) current.close();
            current = new Lab(Topology.of(topologyKind));
        }
        return current;
    }

    public Node node(String name) {
        return topology.node(name);
    }

    public Topology topology() {
        return topology;
    }

    public Scale scale() {
        return Scale.current();
    }

    /** The nodes, where each lives and whether it runs. */
    public Table nodes() {
        return topology.describe();
    }

    @Override
    public synchronized void close() {
        topology.close();
    }

    /** Stops the embedded servers under LAB_HOME (even those another notebook started) and deletes their data. */
    public static Table reset() {
        return reset(true);
    }

    /** What {@link #reset()} would stop and delete; changes nothing. */
    public static Table resetPlan() {
        return reset(false);
    }

    /** With {@code confirm} false a dry run: the table lists what would go, and nothing is touched. */
    public static synchronized Table reset(boolean confirm) {
        Path servers = Settings.labHome().resolve("servers");
        StringColumn server = StringColumn.create("server");
        StringColumn state = StringColumn.create("state");
        LongColumn megabytes = LongColumn.create("size_mb");
        StringColumn action = StringColumn.create("action");
        if (Files.isDirectory(servers)) {
            try (Stream<Path> dirs = Files.list(servers)) {
                for (Path dir : dirs.sorted().toList()) {
                    Path data = dir.resolve("data");
                    boolean running = EmbeddedServer.PostmasterPid.read(data)
                            .flatMap(p -> ProcessHandle.of(p.pid())).map(ProcessHandle::isAlive).orElse(false);
                    server.append(dir.getFileName().toString());
                    state.append(running ? "running" : "stopped");
                    megabytes.append(sizeOf(dir) / (1024 * 1024));
                    action.append(confirm ? "stopped and removed" : "would stop and remove (dry run)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (confirm) {
            if (current != null) {
                current.close();
                current = null;
            }
            EmbeddedServer.stopAll(servers);
            deleteTree(servers);
        }
        return Table.create((confirm ? "reset " : "reset plan for ") + Settings.labHome(), server, state, megabytes, action);
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // files vanish under a running server; the size is only informative
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                // a local Citus node's data folder may live where its OS user can reach it (see LocalServer)
                if (Files.isSymbolicLink(p) && Files.exists(p)) {
                    Path target = p.toRealPath();
                    if (!target.startsWith(LocalServer.ELSEWHERE)) {
                        deleteTree(target);
                    } else {
                        deleteTree(target.getParent()); // the node's folder there, with its server.log
                        try {
                            Files.deleteIfExists(target.getParent().getParent()); // this LAB_HOME's folder, once its last node is gone
                        } catch (java.nio.file.DirectoryNotEmptyException others) {
                            // the other nodes' folders go when their links are reached
                        }
                    }
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
