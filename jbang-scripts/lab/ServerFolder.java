package lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The folder of one server the lab starts itself, {@code LAB_HOME/servers/<major>/<name>}, and the rules of its life.
 * Each PostgreSQL major keeps its own folders, so switching majors over one LAB_HOME never points a server at
 * another major's data. The postmaster is a daemon (pg_ctl starts it in a session of its own): it outlives the JVM
 * that started it, and Ctrl+C in that JVM's terminal does not reach it.
 * <ul>
 * <li>Every JVM that uses the server holds a lease, {@code leases/<pid>}, for as long as it runs; a lease whose
 * process is gone is stale and ignored.</li>
 * <li>At exit a JVM gives its lease back and stops the server only if it was the last lab process using it, the server
 * was not started by {@code Servers.java up} (the {@code up} file) and no other client is connected to it (a psql
 * session, say). So a notebook or runbook that started a server still leaves nothing running behind it, and never
 * stops a server under another process.</li>
 * </ul>
 */
final class ServerFolder {
    private static final Map<Path, ServerFolder> LEASED = new LinkedHashMap<>();
    private static boolean hookRegistered;

    private final Path labHome;
    private final String major;
    private final String name;
    private final Path dir;

    private ServerFolder(Path labHome, String major, String name) {
        this.labHome = labHome;
        this.major = major;
        this.name = name;
        this.dir = labHome.resolve("servers").resolve(major).resolve(name);
    }

    /** The folder of that major's server, moving a folder of the layout before majors ({@code servers/<name>}) in place. */
    static ServerFolder of(Path labHome, String major, String name) {
        ServerFolder folder = new ServerFolder(labHome, major, name);
        folder.moveLegacy();
        return folder;
    }

    /** Without moving anything: for looking (status) only. */
    static ServerFolder peek(Path labHome, String major, String name) {
        return new ServerFolder(labHome, major, name);
    }

    Path dir() {
        return dir;
    }

    Path data() {
        return dir.resolve("data");
    }

    String name() {
        return name;
    }

    String major() {
        return major;
    }

    Path labHome() {
        return labHome;
    }

    /** Runs the action holding the folder's start lock, which serialises start, attach and stop across JVMs. */
    <T> T underStartLock(Supplier<T> action) {
        // one JVM-wide monitor: FileChannel.lock throws OverlappingFileLockException, not waits, within one JVM
        synchronized (ServerFolder.class) {
            try {
                Files.createDirectories(dir);
                try (FileChannel channel = FileChannel.open(dir.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    return action.get();
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** The running postmaster of this folder, if its process is alive. */
    Optional<EmbeddedServer.PostmasterPid> postmaster() {
        return EmbeddedServer.PostmasterPid.read(data())
                .filter(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    // --- leases -------------------------------------------------------------------------------------------------

    /** This JVM uses the server: a lease until it exits (call under the start lock). */
    void lease() {
        Path leases = dir.resolve("leases");
        long pid = ProcessHandle.current().pid();
        try {
            Files.createDirectories(leases);
            Files.writeString(leases.resolve(Long.toString(pid)), startOf(ProcessHandle.current()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a lease in " + leases + ": " + e.getMessage(), e);
        }
        synchronized (ServerFolder.class) {
            LEASED.put(dir, this);
            if (!hookRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(ServerFolder::releaseAll, "partition-lab-leases"));
                hookRegistered = true;
            }
        }
    }

    /** The other live processes holding a lease, stale leases removed on the way. */
    List<Long> otherLeases() {
        List<Long> live = new ArrayList<>();
        Path leases = dir.resolve("leases");
        if (!Files.isDirectory(leases, LinkOption.NOFOLLOW_LINKS)) return live;
        try (Stream<Path> files = Files.list(leases)) {
            for (Path lease : files.toList()) {
                long pid;
                try {
                    pid = Long.parseLong(lease.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == ProcessHandle.current().pid()) continue;
                // the start time guards against a recycled PID
                Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
                String written = Files.readString(lease).strip();
                if (process.isPresent() && (written.isEmpty() || written.equals(startOf(process.get())))) {
                    live.add(pid);
                } else {
                    Files.deleteIfExists(lease);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the leases in " + leases + ": " + e.getMessage(), e);
        }
        return live;
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("");
    }

    // --- started by Servers.java up -----------------------------------------------------------------------------

    boolean keptUp() {
        return Files.exists(dir.resolve("up"), LinkOption.NOFOLLOW_LINKS);
    }

    void keepUp(boolean up) {
        try {
            if (up) Files.writeString(dir.resolve("up"), "started by Servers.java up; Servers.java down lets it stop\n");
            else Files.deleteIfExists(dir.resolve("up"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot mark " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reset removed the folders: nothing of this JVM's is left to give back. */
    static synchronized void forgetLeases() {
        LEASED.clear();
    }

    // --- at exit ------------------------------------------------------------------------------------------------

    private static void releaseAll() {
        List<ServerFolder> folders;
        synchronized (ServerFolder.class) {
            folders = List.copyOf(LEASED.values());
            LEASED.clear();
        }
        for (ServerFolder folder : folders) {
            try {
                folder.release();
            } catch (RuntimeException e) {
                System.err.println("partition-lab: could not release " + folder.dir + ": " + e.getMessage());
            }
        }
    }

    /** Gives this JVM's lease back, and stops the server if nobody else needs it; what happened, in a few words. */
    String release() {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return "gone"; // reset removed it
        return underStartLock(() -> {
            try {
                Files.deleteIfExists(dir.resolve("leases").resolve(Long.toString(ProcessHandle.current().pid())));
            } catch (IOException e) {
                // a lease left behind is stale as soon as we are gone
            }
            if (keptUp()) return "kept: started by Servers.java up";
            Optional<EmbeddedServer.PostmasterPid> postmaster = postmaster();
            if (postmaster.isEmpty()) return "not running";
            List<Long> others = otherLeases();
            if (!others.isEmpty()) return "kept: in use by process " + others;
            int clients = otherClients(postmaster.get().port());
            if (clients > 0) return "kept: " + clients + " other client connection(s)";
            EmbeddedServer.stopForeign(data());
            return "stopped";
        });
    }

    /**
     * Client sessions that are not this JVM's own (a psql someone opened, a process of an older lab), or -1 when the
     * server cannot be asked. Our own are told apart by their TCP port, as /proc lists this process's sockets.
     */
    private int otherClients(int port) {
        Optional<Set<Integer>> ours = ownTcpPorts();
        Dsn superuser = Dsn.local(port, EmbeddedServer.DATABASE, EmbeddedServer.USER, LabPassword.of(labHome));
        try (Connection c = superuser.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(Sql.file("lab/server_clients.sql").statements().get(0))) {
            int others = 0;
            while (rs.next()) {
                int clientPort = rs.getInt(1);
                if (ours.isEmpty() || !ours.get().contains(clientPort)) others++;
            }
            return ours.isEmpty() ? 0 : others; // without /proc only the leases count
        } catch (SQLException e) {
            return 0; // a server that does not answer has no one to protect
        }
    }

    /** The local ports of this process's TCP sockets (Linux), to tell our own sessions from others'. */
    private static Optional<Set<Integer>> ownTcpPorts() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return Optional.empty();
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> links = Files.list(fds)) {
            for (Path link : links.toList()) {
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
            Set<Integer> ports = new HashSet<>();
            for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
                Path file = Path.of(table);
                if (!Files.isReadable(file)) continue;
                for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                    }
                }
            }
            return Optional.of(ports);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // --- the layout before majors --------------------------------------------------------------------------------

    /**
     * {@code servers/<name>} (before each major had its own folder) moves to {@code servers/<its major>/<name>}, its
     * major read from its PG_VERSION; a server still running there must be stopped first.
     */
    private void moveLegacy() {
        Path legacy = labHome.resolve("servers").resolve(name);
        Path legacyData = legacy.resolve("data");
        if (!Files.exists(legacyData, LinkOption.NOFOLLOW_LINKS)) return;
        synchronized (ServerFolder.class) {
            if (!Files.exists(legacyData, LinkOption.NOFOLLOW_LINKS)) return;
            Optional<EmbeddedServer.PostmasterPid> running = EmbeddedServer.PostmasterPid.read(legacyData)
                    .filter(p -> ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
            if (running.isPresent()) {
                throw new IllegalStateException("the server in " + legacy + " (the layout before one folder per major) still runs as pid "
                        + running.get().pid() + ": stop the process that started it, then run again to move it to servers/<major>/" + name);
            }
            String itsMajor;
            try {
                itsMajor = Files.readString(legacyData.resolve("PG_VERSION")).strip();
            } catch (IOException e) {
                itsMajor = "unknown";
            }
            Path target = labHome.resolve("servers").resolve(itsMajor).resolve(name);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("both " + legacy + " (the layout before one folder per major) and " + target
                        + " exist: keep one (Servers.java reset --yes removes both)");
            }
            try {
                Files.createDirectories(target.getParent());
                Files.move(legacy, target);
            } catch (IOException e) {
                throw new IllegalStateException("cannot move " + legacy + " to " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /** The server folders under LAB_HOME/servers, every major and the layout before majors, without following links. */
    static List<Path> all(Path labHome) {
        Path servers = labHome.resolve("servers");
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(servers, LinkOption.NOFOLLOW_LINKS)) return found;
        try (Stream<Path> top = Files.list(servers)) {
            for (Path entry : top.sorted().toList()) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) continue;
                if (entry.getFileName().toString().matches("\\d+")) {
                    try (Stream<Path> names = Files.list(entry)) {
                        names.sorted().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach(found::add);
                    }
                } else {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + servers + ": " + e.getMessage(), e);
        }
        return found;
    }
}
