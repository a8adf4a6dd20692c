package lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * The partition manager as an HTTP service ({@code jbang scripts/Maintain.java serve}): the seed's REST API under
 * {@value #API}, a daily run at a fixed UTC time, and {@code /metrics} for dashboards. Every endpoint calls the same
 * {@link PartitionManager} the command line does; the answers are JSON, an error is {@code {"error": "<one line>"}}.
 *
 * <pre>{@code
 * try (var service = MaintenanceService.start(db, MaintenanceService.Options.of(ServiceToken.of(token)).withPort(0))) {
 *     HttpRequest.newBuilder(service.url().resolve("/api/v1/partitions/health")).header("Authorization", "Bearer " + token)...
 * }
 * }</pre>
 *
 * <p>Security: every {@code /api} request (and {@code /metrics} unless public) needs {@code Authorization: Bearer
 * <token>} ({@link ServiceToken}: compared in constant time, never logged; 401 with {@code WWW-Authenticate}
 * otherwise). Bodies are JSON objects of at most 16 KiB (413), with known fields of the right type and range (400
 * with a one-line reason); a client may start a maintenance call that changes something once per
 * {@link Options#minIntervalPerClient} (429 with {@code Retry-After}); dry runs and reads are not limited. It binds to
 * 127.0.0.1 unless told otherwise. The access log has method, path, status and duration, never a header.
 *
 * <p>Runs: every call that changes something takes the maintenance advisory lock without waiting (the one the command
 * line and pg_cron take), so two runs never overlap; a call while another run holds it gets 409 naming the holder.
 * Each run is recorded in {@code maintenance.run_history} (what, who, when, its result): {@code status} and the
 * metrics read it there, so the command line's runs show too, and a run cut short by a database restart shows as
 * failed. While the database is unreachable every call gets 503 with the reason; the pool reconnects by itself.
 *
 * <p>Schedule: a daily run ({@code run --apply}) at {@link DailySchedule#at()} UTC. A tick every
 * {@link Options#scheduleTick} asks the run history whether the last due run happened; if not (the service was down at
 * that time, or the lock was busy), it runs now: systemd's {@code Persistent=true}. {@link #close()} stops taking
 * requests, lets the request in flight and a run under way finish, then returns.
 */
public final class MaintenanceService implements AutoCloseable {
    public static final String API = "/api/v1/partitions/";
    public static final String OPENAPI = "/api/v1/openapi.json";
    public static final String METRICS = "/metrics";
    /** The largest body a request may carry: every valid one is a few dozen bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String REALM = "Bearer realm=\"partition-lab\"";
    /** Requests answered at once; more wait in the listener's queue. */
    private static final int THREADS = 8;
    /** The service's own pool: a session for each request thread, and two more for a run (its lock's and its work's). */
    static final int POOL_SIZE = THREADS + 2;
    /** The longest {@link #close()} waits for a request in flight: a maintenance run's own bound (systemd's TimeoutStopSec). */
    private static final int STOP_GRACE_SECONDS = 4 * 3600;

    static {
        // The JDK's server sends a reply's headers and its body in two writes; with Nagle's algorithm on, the body waits
        // for the client's delayed ACK of the headers (~40 ms on Linux). Measured with Maintain.java bench-api (4 clients,
        // the lesson 06 tables): GET list p50 59 -> 27 ms, 66 -> 137 requests/s. Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS) // "true" is not true, "12" is not 12
            .build();

    static {
        // a JSON null for a field is the field left out; an empty string is no value either
        JSON.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        // a client that takes longer than this to send its request is cut off (the JDK server waits forever by default);
        // read once, when the first server of the JVM is made
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) System.setProperty("sun.net.httpserver.maxReqTime", "30");
    }

    /**
     * How the service runs: where it listens, its token, whether {@code /metrics} is public, its daily schedule, how
     * often one client may start a maintenance call that changes something, how often the schedule is checked, and
     * where access and event lines go.
     */
    public record Options(String bind, int port, ServiceToken token, boolean metricsPublic, DailySchedule schedule,
                          Duration minIntervalPerClient, Duration scheduleTick, Consumer<String> log) {
        public Options {
            if (token == null) throw new BadInput("the service needs a token");
            if (port < 0 || port > 65535) throw new BadInput("--port must be 0 to 65535, not " + port);
        }

        /** 127.0.0.1:3001, metrics behind the token, the schedule of the environment, 10 s between a client's calls. */
        public static Options of(ServiceToken token) {
            return new Options("127.0.0.1", 3001, token, false, DailySchedule.fromSettings(null), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), System.err::println);
        }

        public Options withPort(int port) {
            return new Options(bind, port, token, metricsPublic, schedule, minIntervalPerClient, scheduleTick, log);
        }

        public Options withBind(String address) {
            return new Options(address, port, token, metricsPublic, schedule, minIntervalPerClient, scheduleTick, log);
        }

        public Options withMetricsPublic(boolean open) {
            return new Options(bind, port, token, open, schedule, minIntervalPerClient, scheduleTick, log);
        }

        public Options withSchedule(DailySchedule daily) {
            return new Options(bind, port, token, metricsPublic, daily, minIntervalPerClient, scheduleTick, log);
        }

        public Options withMinInterval(Duration interval) {
            return new Options(bind, port, token, metricsPublic, schedule, interval, scheduleTick, log);
        }

        public Options withScheduleTick(Duration tick) {
            return new Options(bind, port, token, metricsPublic, schedule, minIntervalPerClient, tick, log);
        }

        public Options withLog(Consumer<String> lines) {
            return new Options(bind, port, token, metricsPublic, schedule, minIntervalPerClient, scheduleTick, lines);
        }
    }

    private final Node node;
    private final Options options;
    private final PartitionManager api;
    private final PartitionManager scheduled;
    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Instant> lastCallByClient = new ConcurrentHashMap<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private volatile String lastScheduleProblem;
    /** Requests being answered; close() waits for none (JDK 17's HttpServer.stop would wait its whole delay when idle). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopping;

    private MaintenanceService(Node node, Options options) throws IOException {
        this.node = node;
        this.options = options;
        this.api = PartitionManager.on(node).triggeredBy("api");
        this.scheduled = PartitionManager.on(node).triggeredBy("schedule");
        routes();
        InetAddress address = InetAddress.getByName(options.bind());
        this.server = HttpServer.create(new InetSocketAddress(address, options.port()), 64);
        this.workers = Executors.newFixedThreadPool(THREADS, named("maintenance-api"));
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("maintenance-schedule"));
    }

    /**
     * Starts the service on the node (a pool of its own, sized to its threads, whose borrowers give up after 3 s while
     * the server is down): listening at once, the schedule's first check right after (a missed day runs then). The partition
     * manager must be installed there.
     */
    public static MaintenanceService start(Node node, Options options) {
        Node own = node.withOwnPool(Duration.ofSeconds(3), POOL_SIZE);
        if (!PartitionManager.on(own).installed()) {
            own.close();
            throw new BadInput("the partition manager is not installed on node " + node.name() + ": run Maintain.java install first");
        }
        try {
            MaintenanceService service = new MaintenanceService(own, options);
            service.server.start();
            if (options.schedule().enabled()) {
                long tick = Math.max(10, options.scheduleTick().toMillis());
                service.scheduler.scheduleWithFixedDelay(service::scheduleTick, 0, tick, TimeUnit.MILLISECONDS);
            }
            return service;
        } catch (java.net.BindException e) {
            own.close();
            throw new BadInput("cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage());
        } catch (IOException e) {
            own.close();
            throw new IllegalStateException("cannot start the service on " + options.bind() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:3001}. */
    public URI url() {
        InetSocketAddress at = server.getAddress();
        String host = at.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public DailySchedule schedule() {
        return options.schedule();
    }

    /**
     * Stops: a request that arrives from now on gets 503; the requests in flight and a scheduled run under way finish;
     * then the listener and the pool close.
     */
    @Override
    public synchronized void close() {
        if (stopping) return;
        stopping = true;
        scheduler.shutdown(); // no new tick; a run under way goes on
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(20);
            server.stop(0);
            workers.shutdown();
            scheduler.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            node.close();
        }
    }

    // ---- routes ----------------------------------------------------------------------------------------------------

    /** An endpoint's answer to one request. */
    private interface Endpoint {
        Reply answer(Request request) throws IOException;
    }

    private record Route(String method, Endpoint endpoint, boolean needsToken) {}

    private void routes() {
        get(API + "health", request -> json(health()));
        get(API + "list", this::list);
        get(API + "status", request -> json(status()));
        post(API + "maintenance", this::maintenance);
        post(API + "create", this::create);
        post(API + "analyze", this::analyze);
        post(API + "vacuum", this::vacuum);
        post(API + "cleanup", this::cleanup);
        get(OPENAPI, request -> new Reply(200, "application/json", ProjectFile.read("jbang-scripts/lab/openapi.json"), Map.of()));
        routes.put(METRICS, new Route("GET", request -> new Reply(200, PartitionMetrics.CONTENT_TYPE,
                PartitionMetrics.scrape(node), Map.of()), !options.metricsPublic()));
    }

    private void get(String path, Endpoint endpoint) {
        routes.put(path, new Route("GET", endpoint, true));
    }

    private void post(String path, Endpoint endpoint) {
        routes.put(path, new Route("POST", endpoint, true));
    }

    // ---- the endpoints -------------------------------------------------------------------------------------------

    private ObjectNode health() {
        Table health = api.health(null);
        ObjectNode body = JSON.createObjectNode();
        body.put("asOf", api.serverToday().toString());
        body.put("healthy", PartitionManager.healthy(health));
        body.set("tables", Render.rows(health));
        return body;
    }

    private Reply list(Request request) {
        request.onlyParameters("table");
        String table = request.parameters().get("table");
        if (table != null) requireManaged(table);
        ObjectNode body = JSON.createObjectNode();
        body.set("partitions", Render.rows(api.list(table)));
        return json(body);
    }

    private ObjectNode status() {
        DailySchedule schedule = options.schedule();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode daily = body.putObject("schedule");
        daily.put("enabled", schedule.enabled());
        daily.put("at", schedule.enabled() ? schedule.at().toString() : null);
        daily.put("timeZone", "UTC");
        daily.put("offReason", schedule.enabled() ? null : schedule.offReason());
        body.put("nextRun", schedule.enabled() ? schedule.nextRun(Instant.now()).toString() : null);
        Optional<PartitionManager.LockHolder> holder = api.lockHolder();
        body.put("running", holder.isPresent());
        body.set("lockHolder", holder.map(MaintenanceService::holder).orElse(null));
        body.set("lastRun", api.lastRun(null).map(MaintenanceService::run).orElse(null));
        body.set("lastScheduledRun", api.lastRun("schedule").map(MaintenanceService::run).orElse(null));
        return body;
    }

    record MaintenanceCall(Boolean dryRun, String table) {}

    private Reply maintenance(Request request) {
        MaintenanceCall call = request.body(MaintenanceCall.class);
        boolean dryRun = call.dryRun() == null || call.dryRun();
        String table = optionalTable(call.table());
        ObjectNode body = JSON.createObjectNode();
        body.put("dryRun", dryRun);
        if (dryRun) {
            body.set("lines", Render.rows(api.plan(table)));
        } else {
            if (!PartitionManager.maintenanceEnabled()) {
                throw new ApiError(409, "partition maintenance is disabled (" + PartitionManager.ENABLE_SWITCH + "=false): nothing done");
            }
            limit(request);
            Table lines = api.locked(false, "run", table, () -> api.run(table, true, Progress.Mode.OFF));
            body.put("ok", !PartitionManager.anyError(lines));
            body.set("lines", Render.rows(lines));
        }
        Table health = api.health(table);
        body.put("healthy", PartitionManager.healthy(health));
        body.set("health", Render.rows(health));
        return json(body);
    }

    record CreateCall(String table, Integer monthsAhead) {}

    private Reply create(Request request) {
        CreateCall call = request.body(CreateCall.class);
        String table = requiredTable(call.table());
        if (call.monthsAhead() == null) throw new BadInput("monthsAhead is required: 1 to 120");
        if (call.monthsAhead() < 1 || call.monthsAhead() > 120) throw new BadInput("monthsAhead must be 1 to 120, not " + call.monthsAhead());
        limit(request);
        YearMonth from = YearMonth.from(api.serverToday());
        return lines(api.locked(false, "create", table, () -> api.create(table, from, from.plusMonths(call.monthsAhead()))), null);
    }

    record AnalyzeCall(String table) {}

    private Reply analyze(Request request) {
        String table = optionalTable(request.body(AnalyzeCall.class).table());
        limit(request);
        return lines(api.locked(false, "analyze", table, () -> api.analyze(table, false, Progress.Mode.OFF)), null);
    }

    record VacuumCall(String table, Boolean full) {}

    private Reply vacuum(Request request) {
        VacuumCall call = request.body(VacuumCall.class);
        String table = optionalTable(call.table());
        boolean full = call.full() != null && call.full();
        limit(request);
        return lines(api.locked(false, full ? "vacuum full" : "vacuum", table, () -> api.vacuum(table, full, Progress.Mode.OFF)), null);
    }

    record CleanupCall(String table, Integer retentionMonths, Boolean dryRun) {}

    private Reply cleanup(Request request) {
        CleanupCall call = request.body(CleanupCall.class);
        String table = optionalTable(call.table());
        PartitionManager.requireRetention(call.retentionMonths(), "retentionMonths");
        boolean dryRun = call.dryRun() == null || call.dryRun();
        if (dryRun) return lines(api.retention(table, false, call.retentionMonths()), true);
        limit(request);
        return lines(api.locked(false, "retention", table, () -> api.retention(table, true, call.retentionMonths())), false);
    }

    private static Reply lines(Table lines, Boolean dryRun) {
        ObjectNode body = JSON.createObjectNode();
        if (dryRun != null) body.put("dryRun", dryRun);
        body.put("ok", !PartitionManager.anyError(lines));
        body.set("lines", Render.rows(lines));
        return json(body);
    }

    private String optionalTable(String table) {
        return table == null ? null : requireManaged(table);
    }

    private String requiredTable(String table) {
        if (table == null) throw new BadInput("table is required: a managed table, schema.table or its bare name");
        return requireManaged(table);
    }

    /**
     * A managed table's name (the SQL looks it up and refuses any other as bad input), checked before a call counts
     * against the client's limit or takes the lock.
     */
    private String requireManaged(String table) {
        if (table.isBlank() || table.length() > 200) throw new BadInput("table must be a managed table's name, not '" + BadInput.oneLine(table) + "'");
        api.config(table);
        return table;
    }

    /** One client starts a maintenance call that changes something at most once per the configured interval. */
    private void limit(Request request) {
        Duration interval = options.minIntervalPerClient();
        if (interval.isZero()) return;
        Instant now = Instant.now();
        // forget clients whose interval is over, so the map stays as small as the clients of the last interval
        if (lastCallByClient.size() > 1000) lastCallByClient.values().removeIf(last -> !last.plus(interval).isAfter(now));
        Instant[] refused = new Instant[1];
        lastCallByClient.compute(request.client(), (client, last) -> {
            if (last != null && last.plus(interval).isAfter(now)) {
                refused[0] = last.plus(interval);
                return last;
            }
            return now;
        });
        if (refused[0] != null) {
            long seconds = Math.max(1, (long) Math.ceil(Duration.between(now, refused[0]).toMillis() / 1000.0));
            throw new ApiError(429, "one maintenance call per " + interval.toSeconds() + " s per client: retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)), null);
        }
    }

    static ObjectNode holder(PartitionManager.LockHolder holder) {
        ObjectNode h = JSON.createObjectNode();
        h.put("pid", holder.pid());
        h.put("application", holder.application());
        h.put("since", holder.since() == null ? null : holder.since().toString());
        return h;
    }

    /** A run as status shows it; a run its database session did not survive counts as failed. */
    static ObjectNode run(RunRecord run) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", run.id());
        r.put("what", run.what());
        r.put("trigger", run.trigger());
        r.put("table", run.table());
        r.put("startedAt", run.startedAt().toString());
        r.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        Duration took = run.duration();
        if (took == null) r.putNull("durationSeconds"); else r.put("durationSeconds", took.toMillis() / 1000.0);
        boolean interrupted = "interrupted".equals(run.result());
        r.put("result", interrupted ? "failed" : run.result());
        r.put("detail", interrupted ? "interrupted: its database session ended before it finished (a server restart?)"
                + (run.detail() == null ? "" : "; " + run.detail()) : run.detail());
        return r;
    }

    // ---- the schedule --------------------------------------------------------------------------------------------

    /** Runs the daily job when its last due time passed without a scheduled run (now, or while the service was down). */
    private void scheduleTick() {
        try {
            Instant now = Instant.now();
            Optional<Instant> last = scheduled.lastRun("schedule").map(RunRecord::startedAt);
            if (!options.schedule().missed(now, last)) {
                lastScheduleProblem = null;
                return;
            }
            options.log().accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " scheduled maintenance run (due "
                    + options.schedule().lastDue(now) + ")");
            Table lines = scheduled.locked(false, "run", null, () -> scheduled.run(null, true, Progress.Mode.OFF));
            options.log().accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " scheduled maintenance run "
                    + (PartitionManager.anyError(lines) ? "finished with errors (status shows them)" : "done") + ": " + lines.rowCount() + " lines");
            lastScheduleProblem = null;
        } catch (RuntimeException e) {
            // the database down, the lock busy: the next tick tries again; say it once, not every tick
            if (unavailable(e)) dropPoolIfServerDown();
            String problem = e instanceof PartitionManager.LockedOut ? e.getMessage() : reasonFor(e);
            if (!problem.equals(lastScheduleProblem)) {
                options.log().accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " scheduled maintenance run waits: " + problem);
            }
            lastScheduleProblem = problem;
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        int status = 500;
        inFlight.incrementAndGet();
        try (exchange) {
            Reply reply;
            try {
                if (stopping) throw new ApiError(503, "the service is stopping");
                reply = answer(exchange);
            } catch (ApiError e) {
                reply = e.reply();
            } catch (BadInput e) {
                reply = error(400, e.getMessage());
            } catch (PartitionManager.LockedOut e) {
                ObjectNode body = errorBody(e.getMessage());
                body.set("holder", e.holder().map(MaintenanceService::holder).orElse(null));
                reply = json(409, body);
            } catch (RuntimeException e) {
                if (unavailable(e)) {
                    dropPoolIfServerDown();
                    reply = error(503, "database unavailable: " + reasonFor(e));
                } else {
                    options.log().accept(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " error " + exchange.getRequestMethod() + " "
                            + exchange.getRequestURI().getRawPath() + ": " + BadInput.oneLine(String.valueOf(e)));
                    reply = error(500, "internal error: " + BadInput.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            }
            status = reply.status();
            send(exchange, reply);
        } catch (IOException e) {
            status = 499; // the client went away before the answer
        } finally {
            inFlight.decrementAndGet();
            options.log().accept(String.format(Locale.ROOT, "%s %s %s %s %d %.1fms", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                    exchange.getRemoteAddress().getAddress().getHostAddress(), exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    status, (System.nanoTime() - started) / 1e6));
        }
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Route route = routes.get(path);
        boolean needsToken = route != null ? route.needsToken() : path.startsWith("/api/");
        if (needsToken) authorize(exchange);
        if (route == null) throw new ApiError(404, "no such endpoint: " + BadInput.oneLine(path) + " (the API is under " + API + ")");
        if (!route.method().equals(exchange.getRequestMethod())) {
            throw new ApiError(405, exchange.getRequestMethod() + " is not allowed on " + path + ": use " + route.method(),
                    Map.of("Allow", route.method()), null);
        }
        return route.endpoint().answer(new Request(exchange, readBody(exchange)));
    }

    private void authorize(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) throw unauthorized(REALM, "missing Authorization: Bearer <token>");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) throw unauthorized(REALM, "the Authorization header must be Bearer <token>");
        if (!options.token().matches(header.substring(7).strip())) {
            throw unauthorized(REALM + ", error=\"invalid_token\"", "wrong token");
        }
    }

    private static ApiError unauthorized(String challenge, String reason) {
        return new ApiError(401, reason, Map.of("WWW-Authenticate", challenge), null);
    }

    /** The body, at most {@link #MAX_BODY_BYTES}: a longer one is refused unread (Content-Length) or once it passes the limit. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw new ApiError(400, "Content-Length must be a number");
            }
            if (declared > MAX_BODY_BYTES) throw tooLarge();
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) throw tooLarge();
            return body;
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "the body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    /**
     * The server refuses connections (down, restarting): every pooled session went with it, so the pool starts afresh
     * at the next request instead of waiting out Hikari's growing back-off once the server is back. A server that
     * answers keeps its pool: a session that ended alone (pg_terminate_backend) leaves the others, and a run on one, be.
     */
    private void dropPoolIfServerDown() {
        try (java.sql.Connection probe = node.dsn().open()) {
            probe.isValid(2);
        } catch (SQLException down) {
            node.close();
        }
    }

    /** The database cannot be reached (refused, a restart under way, the pool's wait over): the call may succeed later. */
    static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String state = t instanceof LabSqlException lab ? lab.sqlState() : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) return true;
        }
        return false;
    }

    /** The first line of the innermost message that says something, without a password. */
    static String reasonFor(Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) reason = t.getMessage();
        }
        return BadInput.oneLine(reason == null ? e.getClass().getSimpleName() : reason);
    }

    // ---- requests and replies --------------------------------------------------------------------------------------

    /** One request: its client (the remote address), query parameters and body. */
    private static final class Request {
        private final HttpExchange exchange;
        private final byte[] body;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        Request(HttpExchange exchange, byte[] body) {
            this.exchange = exchange;
            this.body = body;
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && !query.isEmpty()) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (parameters.put(name, value) != null) throw new BadInput("parameter '" + BadInput.oneLine(name) + "' is given twice");
                }
            }
        }

        String client() {
            return exchange.getRemoteAddress().getAddress().getHostAddress();
        }

        Map<String, String> parameters() {
            return parameters;
        }

        void onlyParameters(String... known) {
            for (String name : parameters.keySet()) {
                if (!List.of(known).contains(name)) {
                    throw new BadInput("unknown parameter '" + BadInput.oneLine(name) + "'" + (known.length == 0 ? "" : ": known: " + String.join(", ", known)));
                }
            }
        }

        /** The body as a JSON object of this shape: unknown fields, wrong types and malformed JSON are bad input. */
        <T> T body(Class<T> shape) {
            onlyParameters();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (body.length > 0 && type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                throw new ApiError(415, "the body must be application/json, not " + BadInput.oneLine(type));
            }
            try {
                JsonNode tree = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
                if (tree == null || !tree.isObject()) throw new BadInput("the body must be a JSON object, e.g. {\"dryRun\": true}");
                return JSON.treeToValue(tree, shape);
            } catch (UnrecognizedPropertyException e) {
                throw new BadInput("unknown field '" + BadInput.oneLine(e.getPropertyName()) + "': known fields are "
                        + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()));
            } catch (MismatchedInputException e) {
                String field = e.getPath().isEmpty() ? "the body" : "field '" + e.getPath().get(0).getFieldName() + "'";
                throw new BadInput(field + " has the wrong type: expected " + expected(e.getTargetType()));
            } catch (JsonProcessingException e) {
                throw new BadInput("malformed JSON: " + BadInput.oneLine(e.getOriginalMessage()));
            } catch (IOException e) {
                throw new BadInput("unreadable body: " + BadInput.oneLine(e.getMessage()));
            }
        }

        private static String expected(Class<?> type) {
            if (type == Boolean.class || type == boolean.class) return "true or false";
            if (type == Integer.class || type == int.class) return "a whole number";
            if (type == String.class) return "a string";
            return "a JSON object";
        }
    }

    private record Reply(int status, String contentType, String body, Map<String, String> headers) {}

    private static Reply json(ObjectNode body) {
        return json(200, body);
    }

    private static Reply json(int status, ObjectNode body) {
        try {
            return new Reply(status, "application/json", JSON.writeValueAsString(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode errorBody(String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", BadInput.oneLine(message));
        return body;
    }

    private static Reply error(int status, String message) {
        return json(status, errorBody(message));
    }

    /** An answer other than 200: status, a one-line reason, extra headers (WWW-Authenticate, Allow, Retry-After). */
    private static final class ApiError extends RuntimeException {
        private final int status;
        private final Map<String, String> headers;

        ApiError(int status, String message) {
            this(status, message, Map.of(), null);
        }

        ApiError(int status, String message, Map<String, String> headers, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.headers = headers;
        }

        Reply reply() {
            Reply plain = error(status, getMessage());
            return new Reply(status, plain.contentType(), plain.body(), headers);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(false); // close() waits for them: a run is never cut off by the JVM's exit
            return thread;
        };
    }
}
