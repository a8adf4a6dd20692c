package lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** The servers the lab starts itself: the embedded ones, then the local Citus nodes, then the advisor's scratch server. */
    public static final List<String> SERVERS = List.of("main", "shard1", "shard2", "citus", "worker1", "worker2", "worker3",
            Topology.SCRATCH);

    /** The server names asked for: a server's name or a node's (plain, partitioned and coordinator live on main). */
    public static List<String> serverNames(List<String> asked) {
        Set<String> names = new LinkedHashSet<>();
        for (String a : asked) {
            String n = a.strip();
            if (n.isEmpty()) continue;
            String server = SERVERS.contains(n) ? n : Topology.EMBEDDED_SERVER.get(n);
            if (server == null) {
                throw new BadInput("unknown server or node '" + n + "': the servers are " + String.join(", ", SERVERS)
                        + " (plain, partitioned and coordinator are nodes on main)");
            }
            names.add(server);
        }
        if (names.isEmpty()) throw new BadInput("--nodes names no server: give some of " + String.join(", ", SERVERS));
        return List.copyOf(names);
    }

    /**
     * Starts the servers (or finds them running) and keeps them up after this process exits, until {@link #down}: each
     * one's DSN (no password) and the psql line that connects to it with the password file.
     */
    public static synchronized Table up(List<String> servers) {
        Path home = Settings.labHome();
        StringColumn server = StringColumn.create("server");
        StringColumn status = StringColumn.create("status");
        StringColumn dsn = StringColumn.create("dsn");
        StringColumn psql = StringColumn.create("psql");
        for (String name : servers) {
            ServerFolder folder = folderOf(home, name, true).orElseThrow();
            boolean was = folder.postmaster().isPresent();
            Dsn d = Topology.CITUS_NODES.contains(name)
                    ? LocalServer.obtain(home, name, LocalInstall.find().install().orElseThrow()).dsn()
                    : EmbeddedServer.obtain(home, name).dsn();
            folder.underStartLock(() -> {
                folder.keepUp(true);
                return null;
            });
            server.append(folder.major() + "/" + name);
            status.append(was ? "was running; kept up" : "started; kept up");
            dsn.append(d.url(false));
            psql.append(LabPassword.psqlLine(home, d));
        }
        return Table.create("servers up in " + home, server, status, dsn, psql);
    }

    /**
     * Lets the servers stop: each stops now unless another lab process still uses it (then it stops when the last one
     * exits); {@code force} stops it anyway. Deletes nothing.
     */
    public static synchronized Table down(List<String> servers, boolean force) {
        Path home = Settings.labHome();
        StringColumn server = StringColumn.create("server");
        StringColumn action = StringColumn.create("action");
        for (String name : servers) {
            Optional<ServerFolder> found = folderOf(home, name, false);
            if (found.isEmpty()) continue;
            ServerFolder folder = found.get();
            String what = !Files.isDirectory(folder.dir(), LinkOption.NOFOLLOW_LINKS) ? "not running" : folder.underStartLock(() -> {
                boolean wasUp = folder.keptUp();
                folder.keepUp(false);
                var pid = folder.postmaster();
                if (pid.isEmpty()) return "not running";
                List<Long> others = folder.otherLeases();
                if (!others.isEmpty() && !force) {
                    return "kept running: in use by process " + others + "; it stops when they exit (--force stops it now)";
                }
                EmbeddedServer.stopForeign(folder.data());
                return "stopped (pid " + pid.get().pid() + (wasUp ? ", started by up" : "") + (others.isEmpty() ? "" : ", under process " + others) + ")";
            });
            server.append(folder.major() + "/" + name);
            action.append(what);
        }
        if (current != null && force) {
            current.close();
            current = null;
        }
        return Table.create("servers down in " + home, server, action);
    }

    /** The folder of a server under its major: the embedded binaries' one, or the local installation's for Citus nodes. */
    private static Optional<ServerFolder> folderOf(Path home, String name, boolean needed) {
        if (!Topology.CITUS_NODES.contains(name)) return Optional.of(ServerFolder.of(home, EmbeddedServer.major(), name));
        LocalInstall.Found found = LocalInstall.find();
        if (found.install().isEmpty()) {
            if (needed) throw new ServerUnavailable("no Citus for '" + name + "': " + found.whyNot());
            return Optional.empty();
        }
        return Optional.of(ServerFolder.of(home, LocalServer.major(found.install().get()), name));
    }

    /** Stops the embedded servers under LAB_HOME (even those another notebook started) and deletes their data. */
    public static Table reset() {
        return reset(true);
    }

    /** What {@link #reset()} would stop and delete; changes nothing. */
    public static Table resetPlan() {
        return reset(false);
    }

    /**
     * With {@code confirm} false a dry run: the table lists what would go, and nothing is touched. Both compute the same
     * list ({@link #removals}); --yes then removes exactly that. Nothing outside LAB_HOME is followed or removed, but for
     * the lab's own links to local Citus nodes' data (see {@link LocalServer#isOwnDataLink}); any other link is
     * unlinked, its target kept.
     */
    public static synchronized Table reset(boolean confirm) {
        Path home = Settings.labHome();
        List<Removal> plan = removals(home);
        if (confirm) {
            if (current != null) {
                current.close();
                current = null;
            }
            EmbeddedServer.stopAll(home);
            LocalServer.forgetAll();
            ServerFolder.forgetLeases();
            for (Removal r : plan) r.apply();
            deleteTree(home.resolve("servers"), home); // what is left: the empty per-major folders
        }
        StringColumn server = StringColumn.create("server");
        StringColumn state = StringColumn.create("state");
        LongColumn megabytes = LongColumn.create("size_mb");
        StringColumn action = StringColumn.create("action");
        for (Removal r : plan) {
            server.append(r.label());
            state.append(r.state());
            megabytes.append(r.bytes() / (1024 * 1024));
            action.append(confirm ? r.kind().done : r.kind().planned);
        }
        return Table.create((confirm ? "reset " : "reset plan for ") + home, server, state, megabytes, action);
    }

    private enum RemovalKind {
        SERVER("would stop and remove (dry run)", "stopped and removed"),
        ELSEWHERE("would remove: the node's data the lab keeps outside LAB_HOME (dry run)", "removed: the node's data outside LAB_HOME"),
        LINK("would unlink, its target kept (dry run)", "unlinked, its target kept"),
        OTHER("would remove (dry run)", "removed");

        final String planned;
        final String done;

        RemovalKind(String planned, String done) {
            this.planned = planned;
            this.done = done;
        }
    }

    /** One entry of a reset: a server folder, the lab's own data folder of a local node elsewhere, a link, a stray file. */
    private record Removal(RemovalKind kind, Path path, String label, String state, long bytes, Path home) {
        void apply() {
            try {
                switch (kind) {
                    case LINK -> Files.deleteIfExists(path); // the link itself, never its target
                    case ELSEWHERE -> {
                        deleteTree(path, LocalServer.ELSEWHERE.toAbsolutePath().normalize());
                        try {
                            Files.deleteIfExists(path.getParent()); // this LAB_HOME's folder there, once its last node is gone
                        } catch (java.nio.file.DirectoryNotEmptyException others) {
                            // the other nodes' folders go with their own entries
                        }
                    }
                    default -> deleteTree(path, home);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove " + path, e);
            }
        }
    }

    /** What a reset removes, in the order it does, computed without following any link. */
    private static List<Removal> removals(Path home) {
        Path servers = home.resolve("servers");
        List<Removal> plan = new ArrayList<>();
        if (Files.isSymbolicLink(servers)) {
            plan.add(link(servers, home));
            return plan;
        }
        if (!Files.isDirectory(servers)) return plan;
        Set<Path> serverFolders = new LinkedHashSet<>(ServerFolder.all(home));
        try (Stream<Path> paths = Files.walk(servers)) {
            for (Path p : paths.sorted().toList()) {
                if (p.equals(servers)) continue;
                if (Files.isSymbolicLink(p)) {
                    if (LocalServer.isOwnDataLink(p) && Files.isDirectory(p)) {
                        Path nodeFolder = Files.readSymbolicLink(p).getParent();
                        plan.add(new Removal(RemovalKind.ELSEWHERE, nodeFolder, nodeFolder.toString(), state(p), sizeOf(nodeFolder), home));
                    } else {
                        plan.add(link(p, home));
                    }
                } else if (serverFolders.contains(p)) {
                    plan.add(new Removal(RemovalKind.SERVER, p, servers.relativize(p).toString(), state(p.resolve("data")), sizeOf(p), home));
                } else if (p.getParent().equals(servers) && !p.getFileName().toString().matches("\\d+")
                        || p.getParent().getParent().equals(servers) && p.getParent().getFileName().toString().matches("\\d+")) {
                    // a stray file at the top or among the majors' folders (a folder there is a server folder)
                    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        plan.add(new Removal(RemovalKind.OTHER, p, servers.relativize(p).toString(), "", sizeOf(p), home));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + servers, e);
        }
        // links first: each goes by itself, before the folder that holds it is walked
        plan.sort(Comparator.comparing((Removal r) -> r.kind() == RemovalKind.SERVER || r.kind() == RemovalKind.OTHER));
        return plan;
    }

    private static Removal link(Path p, Path home) {
        String target;
        try {
            target = Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            target = "?";
        }
        return new Removal(RemovalKind.LINK, p, home.resolve("servers").relativize(p).toString(), "link to " + target, 0, home);
    }

    private static String state(Path data) {
        boolean running = EmbeddedServer.PostmasterPid.read(data)
                .flatMap(p -> ProcessHandle.of(p.pid())).map(ProcessHandle::isAlive).orElse(false);
        return running ? "running" : "stopped";
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) { // links are not followed
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // files vanish under a running server; the size is only informative
        }
    }

    /** Deletes a tree without following links (a link is deleted, not what it points at), never outside {@code within}. */
    private static void deleteTree(Path root, Path within) {
        if (!root.toAbsolutePath().normalize().startsWith(within.toAbsolutePath().normalize())) {
            throw new IllegalStateException("refusing to delete " + root + ": it is not under " + within);
        }
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) return FileVisitResult.CONTINUE;
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) throw e;
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
