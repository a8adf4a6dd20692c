package lab;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One real PostgreSQL server under {@code LAB_HOME/servers/<name>}, from the zonky binaries on Maven Central.
 * The first JVM to need it starts it and owns it (it stops when that JVM exits); any other JVM finds the
 * running postmaster through its {@code postmaster.pid} and attaches instead of starting a second one.
 */
final class EmbeddedServer {
    static {
        Logs.quiet();
    }

    static final String DATABASE = "app";
    static final String USER = "app";
    static final String PASSWORD = "app";

    private static final Map<Path, EmbeddedServer> RUNNING = new HashMap<>();

    private final String name;
    private final Path dir;
    private final int port;
    private final EmbeddedPostgres owned; // null when attached to another JVM's server

    private EmbeddedServer(String name, Path dir, int port, EmbeddedPostgres owned) {
        this.name = name;
        this.dir = dir;
        this.port = port;
        this.owned = owned;
    }

    static synchronized EmbeddedServer obtain(Path labHome, String name) {
        Path dir = labHome.resolve("servers").resolve(name);
        EmbeddedServer known = RUNNING.get(dir);
        if (known != null && known.isAlive()) return known;
        try {
            Files.createDirectories(dir);
            // Serialises start-or-attach across JVMs: two notebooks opened at once must not both start a server.
            try (FileChannel channel = FileChannel.open(dir.resolve("start.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                EmbeddedServer server = attach(name, dir).orElseGet(() -> start(name, dir));
                RUNNING.put(dir, server);
                return server;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The server this JVM already started or attached to in that folder, if any. */
    static synchronized Optional<EmbeddedServer> known(Path labHome, String name) {
        return Optional.ofNullable(RUNNING.get(labHome.resolve("servers").resolve(name)));
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    /** Started by this JVM (true) or attached to a server another process started (false). */
    boolean ownedHere() {
        return owned != null;
    }

    Dsn dsn() {
        return Dsn.local(port, DATABASE, USER, PASSWORD);
    }

    boolean isAlive() {
        return canConnect(port);
    }

    /** Stops the server whoever started it: ours through zonky, another JVM's through its own pg_ctl. */
    void stop() {
        synchronized (EmbeddedServer.class) {
            RUNNING.remove(dir);
        }
        if (owned != null) {
            try {
                owned.close();
            } catch (IOException e) {
                throw new IllegalStateException("could not stop " + name + ": " + e.getMessage(), e);
            }
        } else {
            stopForeign(dataDir());
        }
    }

    /** Stops every server under LAB_HOME/servers: this JVM's through zonky, the others' through pg_ctl. */
    static synchronized void stopAll(Path serversDir) {
        for (EmbeddedServer s : List.copyOf(RUNNING.values())) {
            if (s.dir.startsWith(serversDir)) s.stop();
        }
        if (!Files.isDirectory(serversDir)) return;
        try (var dirs = Files.list(serversDir)) {
            dirs.forEach(d -> stopForeign(d.resolve("data")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + serversDir, e);
        }
    }

    /**
     * Stops whatever postmaster runs on that data folder, if any (reset does this for servers other JVMs
     * started). SIGINT asks for PostgreSQL's fast shutdown, which ends open sessions instead of waiting for
     * the owner's pooled connections to close (SIGTERM would wait); pg_ctl is no use here as it refuses root.
     */
    static void stopForeign(Path dataDir) {
        Optional<ProcessHandle> postmaster = PostmasterPid.read(dataDir)
                .flatMap(p -> ProcessHandle.of(p.pid())).filter(ProcessHandle::isAlive);
        if (postmaster.isEmpty()) return;
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.get().pid()))
                    .redirectErrorStream(true).start();
            kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (kill.waitFor() != 0) postmaster.get().destroy();
        } catch (IOException e) {
            postmaster.get().destroy(); // no kill command (Windows): a smart shutdown is the best we can ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        postmaster.get().onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private static Optional<EmbeddedServer> attach(String name, Path dir) {
        return PostmasterPid.answering(dir.resolve("data")).map(p -> new EmbeddedServer(name, dir, p.port(), null));
    }

    private static EmbeddedServer start(String name, Path dir) {
        Path data = dir.resolve("data");
        try {
            Files.createDirectories(data);
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("max_worker_processes", "16")
                    .setServerConfig("lc_messages", "C")
                    .start();
            bootstrap(pg.getPort());
            return new EmbeddedServer(name, dir, pg.getPort(), pg);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server '" + name + "' in " + data
                    + ": " + e.getMessage() + " (log: " + dir.resolve("server.log") + ")", e);
        }
    }

    /**
     * The same role and database as the compose services, so every lesson runs unchanged on both; also for the
     * local Citus servers ({@link LocalServer}), whose bootstrap superuser is {@code postgres} too.
     */
    static void bootstrap(int port) throws SQLException {
        Dsn superuser = Dsn.local(port, "postgres", "postgres", null);
        try (Connection c = superuser.open(); Statement s = c.createStatement()) {
            for (String statement : Sql.file("lab/embedded_bootstrap.sql").statements()) s.execute(statement);
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        }
    }

    static boolean canConnect(int port) {
        try (Connection ignored = Dsn.local(port, DATABASE, USER, PASSWORD).open()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The first and fourth lines of postmaster.pid: the postmaster's PID and its port. */
    record PostmasterPid(long pid, int port) {
        /** The postmaster of that data folder, if it is alive and answers: a server another JVM started, to attach to. */
        static Optional<PostmasterPid> answering(Path dataDir) {
            return read(dataDir).filter(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .filter(p -> canConnect(p.port()));
        }

        static Optional<PostmasterPid> read(Path dataDir) {
            Path file = dataDir.resolve("postmaster.pid");
            try {
                if (!Files.isRegularFile(file)) return Optional.empty();
                List<String> lines = Files.readAllLines(file);
                if (lines.size() < 4) return Optional.empty();
                return Optional.of(new PostmasterPid(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
