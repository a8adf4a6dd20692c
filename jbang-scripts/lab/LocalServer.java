package lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Citus node (coordinator or worker) the lab starts itself from a {@link LocalInstall}: initialised once under
 * {@code LAB_HOME/servers/<major>/<name>} (the major of the installation) with the settings Citus needs, on a port
 * fixed at that moment (Citus's metadata names every node by host and port, so a node must come back where it was).
 * Like {@link EmbeddedServer}, the first JVM to need it starts it detached, any other JVM attaches to the running
 * postmaster, and it stops when the last lab process using it exits ({@link ServerFolder}). Unlike the embedded
 * servers it trusts local connections: the coordinator and the workers connect to one another, and Citus would need
 * the password on every node for that.
 */
final class LocalServer {
    private static final Map<Path, LocalServer> RUNNING = new HashMap<>();
    /** Where a node's data goes when the OS user the servers run as cannot reach LAB_HOME. */
    static final Path ELSEWHERE = Path.of("/var/tmp/partition-lab");

    private final Path data;
    private final int port;

    private LocalServer(Path data, int port) {
        this.data = data;
        this.port = port;
    }

    Dsn dsn() {
        return Dsn.local(port, EmbeddedServer.DATABASE, EmbeddedServer.USER, LabPassword.of(Settings.labHome()));
    }

    /** The major of the installation: the folder its nodes live in. */
    static String major(LocalInstall install) {
        return install.version().replaceFirst("[^0-9].*$", "");
    }

    static synchronized LocalServer obtain(Path labHome, String name, LocalInstall install) {
        return obtain(labHome, name, install, "");
    }

    /**
     * A local node as {@link #obtain(Path, String, LocalInstall)} starts one, with more postgresql.conf lines appended
     * when it is initialised: they win over the Citus settings above them (pg_cron's node preloads pg_cron instead).
     */
    static synchronized LocalServer obtain(Path labHome, String name, LocalInstall install, String extraSettings) {
        ServerFolder folder = ServerFolder.of(labHome, major(install), name);
        Path dir = folder.dir();
        LocalServer known = RUNNING.get(dir);
        if (known != null && EmbeddedServer.canConnect(labHome, known.port)) return known;
        LocalServer server = folder.underStartLock(() -> {
            try {
                Path data = dataFolder(dir, install);
                LocalServer s = EmbeddedServer.PostmasterPid.answering(labHome, data)
                        .map(p -> new LocalServer(data, p.port()))
                        .orElseGet(() -> start(name, data, install, LabPassword.of(labHome), extraSettings));
                folder.lease();
                return s;
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
            }
        });
        RUNNING.put(dir, server);
        return server;
    }

    /**
     * Whether a data path is the lab's own link to a node's folder under {@link #ELSEWHERE} (see {@link #dataFolder}):
     * {@code <dir>/data} pointing at {@code ELSEWHERE/<hex>/<dir's name>/data}. Nothing else under LAB_HOME is followed.
     */
    static boolean isOwnDataLink(Path data) {
        if (!Files.isSymbolicLink(data) || !data.getFileName().toString().equals("data")) return false;
        try {
            Path target = Files.readSymbolicLink(data);
            Path base = ELSEWHERE.toAbsolutePath().normalize();
            if (!target.isAbsolute() || !target.normalize().equals(target) || target.getNameCount() != base.getNameCount() + 3
                    || !target.startsWith(base)) return false;
            return target.getFileName().toString().equals("data")
                    && target.getParent().getFileName().equals(data.getParent().getFileName())
                    && target.getParent().getParent().getFileName().toString().matches("-?[0-9a-f]+")
                    && (!Files.exists(target) || target.toRealPath().equals(target));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code <dir>/data}, or, when the OS user the servers run as cannot reach it (LAB_HOME under /root, say), a folder
     * under /var/tmp that {@code <dir>/data} links to, so that {@link Lab#reset()} still finds and removes it.
     */
    private static Path dataFolder(Path dir, LocalInstall install) throws IOException {
        Path data = dir.resolve("data");
        if (Files.exists(data)) return data.toRealPath();
        install.giveToOsUser(dir);
        if (install.osUserCanWrite(dir)) return data;
        Path elsewhere = ELSEWHERE.resolve(Integer.toHexString(dir.toString().hashCode())).resolve(dir.getFileName().toString());
        Files.createDirectories(elsewhere);
        install.giveToOsUser(elsewhere.getParent());
        Files.createSymbolicLink(data, elsewhere.resolve("data"));
        return elsewhere.resolve("data");
    }

    private static LocalServer start(String name, Path data, LocalInstall install, String password, String extraSettings) {
        Path log = data.getParent().resolve("server.log");
        boolean fresh = !Files.isRegularFile(data.resolve("PG_VERSION"));
        if (fresh) initialise(data, install);
        if (fresh && !extraSettings.isEmpty()) appendSettings(data, extraSettings);
        int port = configuredPort(data);
        install.run(List.of(install.program("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "120",
                "start"), data.getParent());
        if (fresh) {
            // the same role and database as on every other topology
            try {
                EmbeddedServer.bootstrap(port, password);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the lab's role and database on the new server in " + data + ": " + e.getMessage(), e);
            }
        }
        if (!EmbeddedServer.canConnect(Settings.labHome(), port)) {
            throw new IllegalStateException("the local server '" + name + "' started but does not answer on port " + port + " (log: " + log + ")");
        }
        return new LocalServer(data, port);
    }

    /** initdb and the settings Citus needs, on a free port the node keeps. */
    private static void initialise(Path data, LocalInstall install) {
        install.run(List.of(install.program("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8"), data.getParent());
        int port = freePort();
        StringBuilder conf = new StringBuilder("\n# Partition Lab: a Citus node on a port of its own, fixed for good\n")
                .append("port = ").append(port).append('\n')
                .append("listen_addresses = 'localhost'\n")
                .append("unix_socket_directories = ''\n") // TCP only: a socket path under a deep LAB_HOME can exceed 107 bytes
                .append("shared_preload_libraries = 'citus'\n")
                // shard moves and splits copy the data by logical replication
                .append("wal_level = logical\n")
                .append("max_replication_slots = 20\n")
                .append("max_wal_senders = 20\n")
                .append("max_worker_processes = 32\n")
                .append("max_connections = 200\n")
                .append("shared_buffers = 128MB\n")
                .append("lc_messages = 'C'\n");
        // From 15.19 on only the listed libraries may decode a slot; Citus's shard split uses its own decoder.
        if (install.knowsSetting("output_plugin_libraries")) {
            conf.append("output_plugin_libraries = 'pgoutput, test_decoding, citus'\n");
        }
        try {
            Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + data.resolve("postgresql.conf") + ": " + e.getMessage(), e);
        }
    }

    private static void appendSettings(Path data, String settings) {
        try {
            Files.writeString(data.resolve("postgresql.conf"), "\n" + settings.strip() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + data.resolve("postgresql.conf") + ": " + e.getMessage(), e);
        }
    }

    private static int configuredPort(Path data) {
        try {
            List<String> lines = Files.readAllLines(data.resolve("postgresql.conf"));
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).strip();
                if (line.startsWith("port = ")) return Integer.parseInt(line.substring("port = ".length()).strip());
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the port from " + data.resolve("postgresql.conf") + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no port in " + data.resolve("postgresql.conf"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    static Optional<LocalServer> known(Path labHome, String major, String name) {
        synchronized (LocalServer.class) {
            return Optional.ofNullable(RUNNING.get(ServerFolder.peek(labHome, major, name).dir()));
        }
    }

    static synchronized void forgetAll() {
        RUNNING.clear();
    }
}
