package lab;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Which PostgreSQL servers the lab talks to, by node name. {@code embedded} starts real servers itself (the Citus
 * nodes from a local installation with Citus, see {@link LocalInstall}); {@code compose} uses the docker-compose
 * services; {@code dsn} takes one LAB_DSN_&lt;NODE&gt; per node.
 */
public final class Topology implements AutoCloseable {
    public enum Kind { embedded, compose, dsn }

    /**
     * Every node a lesson may ask for, in course order; last, {@code scratch}: the advisor's measurement server
     * ({@link AdvisorMeasure}), which it may fill and empty at will, never one a lesson keeps data on.
     */
    public static final List<String> NODES = List.of("plain", "partitioned", "coordinator", "shard1", "shard2",
            "citus", "worker1", "worker2", "worker3", "scratch");

    /** The advisor's scratch server: a server of its own on the embedded topology, LAB_DSN_SCRATCH elsewhere. */
    public static final String SCRATCH = "scratch";

    /** The Citus cluster's nodes: its coordinator and three workers. */
    public static final List<String> CITUS_NODES = List.of("citus", "worker1", "worker2", "worker3");

    /** The seeds' docker-compose ports; user, password and database are all {@code app}. */
    static final Map<String, Integer> COMPOSE_PORTS = Map.of(
            "plain", 54321, "partitioned", 54322, "shard1", 54323, "shard2", 54324, "coordinator", 54325,
            "citus", 5440, "worker1", 5441, "worker2", 5442, "worker3", 5443);

    /**
     * Embedded nodes that share a server: plain, partitioned and the FDW coordinator are different tables in
     * one database, while each shard must be a server of its own for sharding to mean anything, and so must the
     * scratch server, so that a measurement's writes cannot land where the analysed data lives.
     */
    static final Map<String, String> EMBEDDED_SERVER = Map.of(
            "plain", "main", "partitioned", "main", "coordinator", "main", "shard1", "shard1", "shard2", "shard2",
            SCRATCH, SCRATCH);

    private final Kind kind;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Dsn> configured;

    private Topology(Kind kind, Map<String, Dsn> configured) {
        this.kind = kind;
        this.configured = configured;
    }

    public static Topology of(String kindName) {
        Kind kind;
        try {
            kind = Kind.valueOf(kindName.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput("LAB_TOPOLOGY '" + kindName + "' is not one of embedded, compose, dsn");
        }
        return switch (kind) {
            case embedded -> new Topology(kind, Map.of());
            case compose -> new Topology(kind, composeDsns());
            case dsn -> new Topology(kind, dsnsFromSettings());
        };
    }

    public Kind kind() {
        return kind;
    }

    /** The node, connected: on the embedded topology its server starts (or is attached to) on first use. */
    public synchronized Node node(String name) {
        if (!NODES.contains(name)) {
            throw new BadInput("unknown node '" + name + "': the lab's nodes are " + String.join(", ", NODES));
        }
        return nodes.computeIfAbsent(name, n -> new Node(n, dsnFor(n)));
    }

    private Dsn dsnFor(String node) {
        if (kind == Kind.embedded && CITUS_NODES.contains(node)) {
            LocalInstall.Found found = LocalInstall.find();
            LocalInstall install = found.install().orElseThrow(() -> new ServerUnavailable("no Citus for node '" + node
                    + "': the embedded servers have none, and " + found.whyNot()));
            return LocalServer.obtain(Settings.labHome(), node, install).dsn();
        }
        if (kind == Kind.embedded) {
            return EmbeddedServer.obtain(Settings.labHome(), EMBEDDED_SERVER.get(node)).dsn();
        }
        Dsn dsn = configured.get(node);
        if (dsn == null) {
            throw new BadInput(variable(node) + " is not set: the " + kind + " topology needs a connection string for node '"
                    + node + "' (in the environment or in .env)");
        }
        return dsn;
    }

    /**
     * Where the FDW coordinator's server reaches a node, which is not always where the lab reaches it: under docker
     * compose the coordinator container talks to {@code shard1:5432} on the compose network. Embedded and dsn nodes are
     * reached the same way from both sides.
     */
    public Dsn seenFromCoordinator(String name) {
        if (kind == Kind.compose) return new Dsn(name, 5432, "app", "app", "app", null);
        Optional<String> peer = Settings.get("LAB_PEER_" + name.toUpperCase(Locale.ROOT));
        if (peer.isPresent()) {
            // set where the servers talk on a network of their own (Testcontainers: the container's alias and 5432)
            String[] hostPort = peer.get().split(":", 2);
            try {
                return new Dsn(hostPort[0], hostPort.length == 2 ? Integer.parseInt(hostPort[1]) : 5432, "app", "app", "app", null);
            } catch (NumberFormatException e) {
                throw new BadInput("LAB_PEER_" + name.toUpperCase(Locale.ROOT) + " must be host:port, got '" + peer.get() + "'");
            }
        }
        return node(name).dsn();
    }

    /**
     * Where the coordinator reaches a node, if the node exists yet: a local Citus server the lab has never initialised,
     * or a dsn node without its LAB_DSN_ setting, has no address (and is not started to get one).
     */
    public Optional<Dsn> seenFromCoordinatorIfKnown(String name) {
        if (kind == Kind.embedded && CITUS_NODES.contains(name) && localFolder(name).map(f -> !initialised(f)).orElse(true)) {
            return Optional.empty();
        }
        if (kind == Kind.dsn && !configured.containsKey(name)) return Optional.empty();
        return Optional.of(seenFromCoordinator(name));
    }

    /** The folder of a local Citus node, under the major of the installation found (none without one). */
    private static Optional<ServerFolder> localFolder(String node) {
        return LocalInstall.find().install().map(i -> ServerFolder.peek(Settings.labHome(), LocalServer.major(i), node));
    }

    /** Initialised: in its major's folder, or still in the layout before majors (it moves there when it starts). */
    private static boolean initialised(ServerFolder folder) {
        return Files.exists(folder.data(), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(folder.labHome().resolve("servers").resolve(folder.name()).resolve("data"), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The nodes, where each lives and whether it answers, without starting anything. Embedded: {@code connected} (this
     * process has a pool), {@code running} (it answers), {@code not started}, or {@code not answering} (a postmaster
     * runs but refuses us); and who keeps it running. Compose and dsn: a connection is tried, with a short timeout.
     */
    public Table describe() {
        StringColumn node = StringColumn.create("node");
        StringColumn server = StringColumn.create("server");
        StringColumn url = StringColumn.create("url");
        StringColumn status = StringColumn.create("status");
        StringColumn startedBy = StringColumn.create("started_by");
        Map<String, Optional<ServerFolder>> folders = new LinkedHashMap<>();
        Path home = Settings.labHome();
        for (String n : NODES) {
            node.append(n);
            Node connected = nodes.get(n);
            switch (kind) {
                case embedded -> {
                    boolean local = CITUS_NODES.contains(n);
                    String serverName = local ? n : EMBEDDED_SERVER.get(n);
                    Optional<ServerFolder> folder = folders.computeIfAbsent(serverName, s -> local ? localFolder(s)
                            : Optional.of(ServerFolder.peek(home, EmbeddedServer.major(), s)));
                    server.append((local ? "local:" : "embedded:") + folder.map(f -> f.major() + "/").orElse("") + serverName);
                    var pid = folder.flatMap(ServerFolder::postmaster);
                    boolean answers = pid.isPresent() && EmbeddedServer.canConnect(home, pid.get().port());
                    url.append(answers ? Dsn.local(pid.get().port(), EmbeddedServer.DATABASE, EmbeddedServer.USER, null).url(false) : "");
                    status.append(answers ? (connected != null ? "connected" : "running")
                            : pid.isPresent() ? "not answering (pid " + pid.get().pid() + ")" : "not started");
                    startedBy.append(!answers ? "" : startedBy(folder.get(), local));
                }
                default -> {
                    Dsn dsn = configured.get(n);
                    server.append(kind.name());
                    url.append(dsn == null ? "" : dsn.url(false));
                    status.append(dsn == null ? "not configured" : probe(dsn, connected != null));
                    startedBy.append("");
                }
            }
        }
        return Table.create("nodes (" + kind + ")", node, server, url, status, startedBy);
    }

    private static String startedBy(ServerFolder folder, boolean local) {
        if (folder.keptUp()) return "Servers.java up";
        boolean here = local ? LocalServer.known(folder.labHome(), folder.major(), folder.name()).isPresent()
                : EmbeddedServer.known(folder.labHome(), folder.name()).map(EmbeddedServer::ownedHere).orElse(false);
        return here ? "this process" : "another process";
    }

    /** Whether a configured server answers now: a real connection, given up after a few seconds. */
    private static String probe(Dsn dsn, boolean connectedHere) {
        String timeouts = "connectTimeout=3&loginTimeout=3&socketTimeout=5";
        Dsn quick = new Dsn(dsn.host(), dsn.port(), dsn.database(), dsn.user(), dsn.password(),
                dsn.query() == null ? timeouts : dsn.query() + "&" + timeouts);
        try (var c = quick.open()) {
            return connectedHere ? "connected" : "answers";
        } catch (java.sql.SQLException e) {
            // the driver's first sentence, which names the cause (never the password)
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("").replaceFirst("(?<=\\.) .*$", "");
            return "no answer: " + why;
        }
    }

    @Override
    public synchronized void close() {
        nodes.values().forEach(Node::close);
        nodes.clear();
    }

    static String variable(String node) {
        return "LAB_DSN_" + node.toUpperCase(Locale.ROOT);
    }

    private static Map<String, Dsn> composeDsns() {
        String host = Settings.get("LAB_COMPOSE_HOST", "localhost");
        Map<String, Dsn> dsns = new LinkedHashMap<>();
        for (String n : NODES) {
            if (COMPOSE_PORTS.containsKey(n)) dsns.put(n, new Dsn(host, COMPOSE_PORTS.get(n), "app", "app", "app", null));
        }
        // the compose file has no scratch server: one named by LAB_DSN_SCRATCH, if any
        String scratch = variable(SCRATCH);
        Settings.get(scratch).ifPresent(url -> dsns.put(SCRATCH, Dsn.parse(url, scratch)));
        return dsns;
    }

    private static Map<String, Dsn> dsnsFromSettings() {
        Map<String, Dsn> dsns = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Settings.withPrefix("LAB_DSN_").forEach((variable, value) -> {
            String node = variable.substring("LAB_DSN_".length()).toLowerCase(Locale.ROOT);
            if (!NODES.contains(node)) {
                unknown.add(variable);
                return;
            }
            dsns.put(node, Dsn.parse(value, variable));
        });
        if (!unknown.isEmpty()) {
            throw new BadInput(String.join(", ", unknown) + " names no lab node; use LAB_DSN_ followed by one of "
                    + String.join(", ", NODES).toUpperCase(Locale.ROOT));
        }
        if (dsns.isEmpty()) {
            throw new BadInput("LAB_TOPOLOGY=dsn but no LAB_DSN_<NODE> is set, e.g. LAB_DSN_PARTITIONED=postgresql://app:app@localhost:5432/app");
        }
        return dsns;
    }
}
