package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml brings up every topology the lab names, on the ports the {@code compose} topology uses.
 *
 * <p>The file is always checked as YAML (SnakeYAML, anchors and merge keys resolved). Where the docker client and
 * its compose plugin work, it is checked once more through {@code docker compose config --format json}, which needs
 * no engine and applies Compose's own rules (profiles, merge, defaults); otherwise that test is skipped.
 */
class ComposeFileTest {
    /** The seed's five servers: the expected ports come from the library, so the two cannot drift apart. */
    /** The five seed services: every compose node that is not a Citus node. */
    private static final Map<String, Integer> SEED_PORTS = Topology.COMPOSE_PORTS.entrySet().stream()
            .filter(e -> !Topology.CITUS_NODES.contains(e.getKey()))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    private static final Map<String, Integer> CITUS_PORTS =
            Map.of("citus", 5440, "worker1", 5441, "worker2", 5442, "worker3", 5443);
    private static final Map<String, String> CITUS_PROFILES =
            Map.of("citus", "citus", "worker1", "citus", "worker2", "citus", "worker3", "citus-worker3");

    private static final String DATA_DIR = "/var/lib/postgresql/data";

    /** The partition maintenance API (Maintain.java serve) for the partitioned node, behind a profile of its own. */
    private static final String MAINTENANCE = "maintenance";
    private static final int MAINTENANCE_PORT = 3001;
    /** The token's variable: passed through from the caller's environment, never given a value in the file. */
    private static final String TOKEN_VARIABLE = "MAINTENANCE_API_TOKEN";

    @Test
    void yamlDescribesEveryTopology() throws IOException {
        Map<String, Object> compose;
        try (Reader reader = Files.newBufferedReader(composeFile(), StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false); // as Compose: a repeated key is an error, not "last one wins"
            compose = asMap(new Yaml(new SafeConstructor(options)).load(reader), "docker-compose.yml");
        }
        Map<String, Service> services = Service.all(compose);
        checkAll(services, declaredVolumes(compose), true);
        CITUS_PORTS.forEach((node, port) -> assertEquals(port, Topology.COMPOSE_PORTS.get(node), "lab.Topology's compose port for " + node));

        Set<String> startedByDefault = new TreeSet<>();
        services.values().stream().filter(s -> s.profiles.isEmpty()).forEach(s -> startedByDefault.add(s.name));
        assertEquals(new TreeSet<>(SEED_PORTS.keySet()), startedByDefault,
                "a plain `docker compose up -d` must start exactly the five seed services (the rest sit behind profiles)");
    }

    @Test
    void dockerComposeConfigAgrees() throws Exception {
        Assumptions.assumeTrue(composePluginWorks(), "the docker client with its compose plugin is not available here");

        Map<String, Object> all = composeConfig("--profile", "citus", "--profile", "citus-worker3", "--profile", MAINTENANCE);
        Map<String, Service> services = Service.all(all);
        checkAll(services, declaredVolumes(all), false);

        Map<String, Object> defaults = composeConfig();
        assertEquals(new TreeSet<>(SEED_PORTS.keySet()), new TreeSet<>(Service.all(defaults).keySet()),
                "without profiles, `docker compose config` must list exactly the five seed services");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** {@code asWritten}: the services as the file says them, not as {@code docker compose config} resolved them. */
    private static void checkAll(Map<String, Service> services, Set<String> volumes, boolean asWritten) {
        Set<String> expected = new TreeSet<>(SEED_PORTS.keySet());
        expected.addAll(CITUS_PORTS.keySet());
        expected.add(MAINTENANCE);
        assertEquals(expected, new TreeSet<>(services.keySet()), "services in docker-compose.yml");

        for (var e : SEED_PORTS.entrySet()) {
            Service s = services.get(e.getKey());
            checkServer(s, e.getValue(), volumes);
            assertTrue(s.image.matches("postgres:17(\\.[0-9.]+)?"),
                    s.name + " must run the official postgres:17 image, not " + s.image);
            assertTrue(s.profiles.isEmpty(), s.name + " must not sit behind a profile: " + s.profiles);
        }
        Service coordinator = services.get("coordinator");
        for (String shard : List.of("shard1", "shard2")) {
            assertEquals("service_healthy", coordinator.dependsOn.get(shard),
                    "the FDW coordinator must wait for " + shard + " to be healthy: " + coordinator.dependsOn);
        }

        for (var e : CITUS_PORTS.entrySet()) {
            Service s = services.get(e.getKey());
            checkServer(s, e.getValue(), volumes);
            assertTrue(s.image.matches("citusdata/citus:[0-9][0-9.]*-pg17"),
                    s.name + " must run the official Citus image in its PostgreSQL 17 build (tag ...-pg17), not "
                            + s.image);
            assertEquals(List.of(CITUS_PROFILES.get(s.name)), s.profiles, s.name + " profiles");
        }
        Set<String> citusImages = new TreeSet<>();
        CITUS_PORTS.keySet().forEach(n -> citusImages.add(services.get(n).image));
        assertEquals(1, citusImages.size(), "all Citus nodes must run the same image: " + citusImages);

        checkMaintenance(services.get(MAINTENANCE), volumes, asWritten);

        Map<Integer, String> byPort = new TreeMap<>();
        for (Service s : services.values()) {
            for (int port : s.ports.keySet()) {
                String other = byPort.put(port, s.name);
                assertTrue(other == null, "host port " + port + " is published by both " + other + " and " + s.name);
            }
        }
    }

    private static void checkMaintenance(Service s, Set<String> volumes, boolean asWritten) {
        assertEquals(List.of(MAINTENANCE), s.profiles, "the maintenance service must sit behind its own profile");
        assertTrue(s.image.matches("eclipse-temurin:17(-jdk)?"), "the maintenance service needs a JDK 17 image, not " + s.image);

        // Published on the host's loopback only: the API holds maintenance endpoints, the token travels in clear text.
        assertEquals(Map.of(MAINTENANCE_PORT, MAINTENANCE_PORT), s.ports, "maintenance must publish " + MAINTENANCE_PORT + " -> " + MAINTENANCE_PORT);
        assertEquals("127.0.0.1", s.hostIps.get(MAINTENANCE_PORT),
                "maintenance must publish its port on 127.0.0.1 only, not on every interface of the host");
        String command = String.join(" ", s.command);
        assertTrue(command.contains("scripts/Maintain.java serve"), "maintenance must run Maintain.java serve: " + command);
        assertTrue(command.contains("--bind 0.0.0.0") && command.contains("--port " + MAINTENANCE_PORT),
                "inside the container it must listen on 0.0.0.0:" + MAINTENANCE_PORT + " for the published port to reach it: " + command);
        assertFalse(command.contains("--token"), "the token must not be on the command line: " + command);

        assertEquals("dsn", s.environment.get("LAB_TOPOLOGY"), "maintenance LAB_TOPOLOGY");
        assertEquals("postgresql://app:app@partitioned:5432/app", s.environment.get("LAB_DSN_PARTITIONED"),
                "maintenance must serve the partitioned node, by its name on the compose network");
        assertTrue(s.environment.containsKey(TOKEN_VARIABLE), "maintenance must pass " + TOKEN_VARIABLE + " through from the caller");
        if (asWritten) {
            // No value, or a reference to the caller's variable; never a literal (the messages never print a value).
            String value = s.environment.get(TOKEN_VARIABLE);
            assertFalse(value != null && value.matches("\\$\\{" + TOKEN_VARIABLE + ":?\\?.*"), TOKEN_VARIABLE
                    + " must not be required with ${...?}: Compose interpolates every service before it applies profiles,"
                    + " so a plain `docker compose up -d` would fail without a token");
            assertTrue(value == null || value.matches("\\$\\{" + TOKEN_VARIABLE + "(:?-)?}"),
                    TOKEN_VARIABLE + " must not be written in docker-compose.yml (leave it without a value: passed through)");
        }
        assertFalse(String.join(" ", s.healthTest).matches(".*Bearer [A-Za-z0-9+/=_-]{16,}.*"),
                "the maintenance healthcheck must not hold a token");

        assertEquals(Map.of("partitioned", "service_healthy"), s.dependsOn, "maintenance must wait for a healthy partitioned node");
        assertEquals(Boolean.TRUE, s.binds.get("/workspace"), "the checkout must be mounted read-only at /workspace: " + s.binds);
        s.volumes.values().forEach(source -> assertTrue(volumes.contains(source),
                "maintenance mounts '" + source + "', which is not a named volume declared under volumes:"));
        assertFalse(s.healthTest.isEmpty(), "maintenance needs a healthcheck");
    }

    private static void checkServer(Service s, int hostPort, Set<String> volumes) {
        assertEquals(Map.of(hostPort, 5432), s.ports, s.name + " must publish host port " + hostPort + " -> 5432");
        for (String key : List.of("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB")) {
            assertEquals("app", s.environment.get(key), s.name + " " + key);
        }
        assertFalse(s.healthTest.isEmpty(), s.name + " needs a healthcheck");
        assertTrue(String.join(" ", s.healthTest).contains("pg_isready"),
                s.name + " healthcheck should use pg_isready: " + s.healthTest);
        String source = s.volumes.get(DATA_DIR);
        assertNotNull(source, s.name + " must keep " + DATA_DIR + " in a named volume: " + s.volumes);
        assertTrue(volumes.contains(source),
                s.name + " mounts '" + source + "', which is not a named volume declared under volumes:");
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Path projectDir() {
        return Path.of(System.getProperty("lab.project", ".")).toAbsolutePath().normalize();
    }

    private static Path composeFile() {
        Path file = projectDir().resolve("docker-compose.yml");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        return file;
    }

    private static Set<String> declaredVolumes(Map<String, Object> compose) {
        Object volumes = compose.get("volumes");
        return volumes == null ? Set.of() : new HashSet<>(asMap(volumes, "volumes").keySet());
    }

    private static boolean composePluginWorks() {
        try {
            return run(List.of("docker", "compose", "version")).exit == 0;
        } catch (IOException e) { // no docker client at all
            return false;
        }
    }

    private static Map<String, Object> composeConfig(String... profiles) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker", "compose", "-f", composeFile().toString()));
        command.addAll(List.of(profiles));
        command.addAll(List.of("config", "--format", "json"));
        Result result = run(command);
        if (result.exit != 0) {
            // The plugin works, so a failure here is about the file.
            fail(String.join(" ", command) + " failed (exit " + result.exit + "):\n" + result.stderr);
        }
        return asMap(new ObjectMapper().readValue(result.stdout, Map.class), "docker compose config");
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(projectDir().toFile());
        // Only COMPOSE_PROFILES from the caller's shell would change what `config` lists; a token of the caller's
        // must not end up in what `config` prints (and so in a failure message).
        pb.environment().remove("COMPOSE_PROFILES");
        pb.environment().remove(TOKEN_VARIABLE);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "", "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map)) fail(what + " should be a mapping, not " + value);
        return (Map<String, Object>) value;
    }

    /**
     * One service, in a form that both the short syntax of the YAML file and the long syntax that
     * {@code docker compose config} prints reduce to.
     */
    private static final class Service {
        final String name;
        String image = "";
        final Map<Integer, Integer> ports = new TreeMap<>(); // published -> target
        final Map<Integer, String> hostIps = new TreeMap<>(); // published -> host address ("" = every interface)
        List<String> command = List.of();
        final Map<String, String> environment = new TreeMap<>();
        List<String> healthTest = List.of();
        final List<String> profiles = new ArrayList<>();
        final Map<String, String> dependsOn = new TreeMap<>(); // service -> condition
        final Map<String, String> volumes = new TreeMap<>(); // target -> named volume
        final Map<String, Boolean> binds = new TreeMap<>(); // target of a bind mount -> read-only

        Service(String name) {
            this.name = name;
        }

        static Map<String, Service> all(Map<String, Object> compose) {
            Map<String, Service> result = new LinkedHashMap<>();
            Object services = compose.get("services");
            assertNotNull(services, "no services: in docker-compose.yml");
            asMap(services, "services").forEach((name, body) -> result.put(name, of(name, asMap(body, name))));
            return result;
        }

        private static Service of(String name, Map<String, Object> body) {
            Service s = new Service(name);
            s.image = String.valueOf(body.getOrDefault("image", ""));
            Object command = body.get("command");
            if (command instanceof List<?> l) s.command = l.stream().map(String::valueOf).toList();
            else if (command != null) s.command = List.of(String.valueOf(command).split("\\s+"));
            for (Object port : list(body.get("ports"))) s.addPort(port);
            Object env = body.get("environment");
            if (env instanceof Map<?, ?> m) {
                m.forEach((k, v) -> s.environment.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            } else {
                for (Object entry : list(env)) {
                    String text = String.valueOf(entry);
                    int eq = text.indexOf('=');
                    s.environment.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
                }
            }
            if (body.get("healthcheck") instanceof Map<?, ?> hc && !Boolean.TRUE.equals(hc.get("disable"))) {
                Object test = hc.get("test");
                if (test instanceof List<?> l) s.healthTest = l.stream().map(String::valueOf).toList();
                else if (test != null) s.healthTest = List.of("CMD-SHELL", String.valueOf(test));
                if (List.of("NONE").equals(s.healthTest)) s.healthTest = List.of();
            }
            for (Object profile : list(body.get("profiles"))) s.profiles.add(String.valueOf(profile));
            Object deps = body.get("depends_on");
            if (deps instanceof Map<?, ?> m) {
                m.forEach((k, v) -> s.dependsOn.put(String.valueOf(k),
                        v instanceof Map<?, ?> c ? String.valueOf(c.get("condition")) : "service_started"));
            } else {
                for (Object dep : list(deps)) s.dependsOn.put(String.valueOf(dep), "service_started");
            }
            for (Object volume : list(body.get("volumes"))) s.addVolume(volume);
            return s;
        }

        private void addPort(Object port) {
            if (port instanceof Map<?, ?> m) { // long syntax: {target: 5432, published: "54321", host_ip: ...}
                Object published = m.get("published");
                assertNotNull(published, name + " publishes no host port: " + m);
                int host = Integer.parseInt(String.valueOf(published));
                ports.put(host, Integer.parseInt(String.valueOf(m.get("target"))));
                Object ip = m.get("host_ip");
                hostIps.put(host, ip == null ? "" : String.valueOf(ip));
                return;
            }
            String text = String.valueOf(port).replaceFirst("/(tcp|udp)$", ""); // [ip:]host:container
            String[] parts = text.split(":");
            if (parts.length < 2) fail(name + " publishes port " + text + " on a random host port");
            int host = Integer.parseInt(parts[parts.length - 2]);
            ports.put(host, Integer.parseInt(parts[parts.length - 1]));
            hostIps.put(host, parts.length >= 3 ? parts[parts.length - 3] : "");
        }

        private void addVolume(Object volume) {
            if (volume instanceof Map<?, ?> m) { // long syntax: {type: volume|bind, source: ..., target: ..., read_only: ...}
                String target = String.valueOf(m.get("target"));
                if ("volume".equals(m.get("type"))) volumes.put(target, String.valueOf(m.get("source")));
                if ("bind".equals(m.get("type"))) binds.put(target, Boolean.TRUE.equals(m.get("read_only")));
                return;
            }
            String[] parts = String.valueOf(volume).split(":"); // source:target[:mode]
            if (parts.length < 2) return;
            // A path (./x, /x, ~/x, .) is a bind mount, a bare name a named volume.
            if (parts[0].startsWith(".") || parts[0].startsWith("/") || parts[0].startsWith("~")) {
                binds.put(parts[1], parts.length >= 3 && List.of(parts[2].split(",")).contains("ro"));
            } else {
                volumes.put(parts[1], parts[0]);
            }
        }

        private static List<?> list(Object value) {
            if (value == null) return List.of();
            if (value instanceof List<?> l) return l;
            return List.of(value);
        }
    }
}
