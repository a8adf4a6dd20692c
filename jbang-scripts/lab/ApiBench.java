package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What the maintenance service costs a reader ({@code jbang scripts/Maintain.java bench-api}): {@code GET health} and
 * {@code GET list} of {@link MaintenanceService}, {@code requests} of each from {@code concurrency} clients at once
 * (the JDK HttpClient, HTTP/1.1 keep-alive, a request timed from its sending to its body read), after
 * {@code warmup} untimed ones; beside the baseline measured in the same process the same way: the same library calls
 * ({@link PartitionManager#health}, {@link PartitionManager#list}) without HTTP, on a pool of the same size as the
 * service's. Requests per second, p50, p99 and max latency per run; the summary takes the median run of each and the
 * ratios service / direct. A benchmark, not a test: the numbers depend on the machine and go to the notes.
 *
 * <p>The service is either started here, in this process on a free port, over the lesson 06 tables ({@link #prepare}),
 * or one already running elsewhere ({@code --url}), e.g. pinned to one core with {@code taskset}.
 */
public final class ApiBench {
    /** The months {@link #prepare} seeds, up to the server's current one, and the rows of each month in each table. */
    public static final int PREPARED_MONTHS = 6;
    public static final int PREPARED_ROWS_PER_MONTH = 1_000;
    public static final List<String> ENDPOINTS = List.of("health", "list");
    static final String SERVICE = "service";
    static final String DIRECT = "direct";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiBench() {}

    /** How much load: requests per endpoint and run, clients at once, untimed requests first, runs. */
    public record Options(int requests, int concurrency, int warmup, int runs) {
        public Options {
            if (requests < 1 || requests > 1_000_000) throw new BadInput("--requests must be 1 to 1000000, not " + requests);
            if (concurrency < 1 || concurrency > 256) throw new BadInput("--concurrency must be 1 to 256, not " + concurrency);
            if (concurrency > requests) throw new BadInput("--concurrency (" + concurrency + ") must not exceed --requests (" + requests + ")");
            if (warmup < 0 || warmup > 1_000_000) throw new BadInput("--warmup must be 0 to 1000000, not " + warmup);
            if (runs < 1 || runs > 100) throw new BadInput("--runs must be 1 to 100, not " + runs);
        }
    }

    /**
     * A service's base address from {@code --url}: http or https, a host, a port or none, no path beyond "/", no query,
     * no user info (the token goes in a header, from a file or the environment).
     */
    public static URI serviceUrl(String text) {
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.strip());
        } catch (URISyntaxException e) {
            throw new BadInput("--url is not a URL: " + BadInput.oneLine(e.getMessage()));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new BadInput("--url must be the service's address, e.g. http://127.0.0.1:3001, not '" + BadInput.oneLine(text) + "'");
        }
        if (uri.getRawUserInfo() != null) throw new BadInput("--url must not carry user info: the token comes from --token-file or " + ServiceToken.ENVIRONMENT);
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new BadInput("--url is the service's address only (e.g. http://127.0.0.1:3001): the bench adds " + MaintenanceService.API + "health and list");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /** One batch: an endpoint called {@code requests} times by one way (service or direct), each answer's time. */
    public record Batch(int run, String endpoint, String via, int requests, int ok, Map<String, Integer> failures, double seconds,
                        long[] sortedNanos) {
        public double rps() {
            return requests / seconds;
        }

        public double percentileMillis(double p) {
            if (sortedNanos.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length); // nearest rank
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
        }

        public double maxMillis() {
            return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
        }
    }

    /** Every timed batch, what the service answered (tables in health, partitions in list), and how it was set up. */
    public record Report(String server, String service, Options options, List<Batch> batches, int tables, int partitions,
                         List<String> notes) {
        public boolean allOk() {
            return batches.stream().allMatch(b -> b.ok() == b.requests());
        }

        /** Each failure, as "list service: HTTP 503 x 3 (...)": empty when every request was answered 200. */
        public List<String> failures() {
            List<String> lines = new ArrayList<>();
            for (Batch b : batches) {
                b.failures().forEach((what, n) -> lines.add("run " + b.run() + ", " + b.endpoint() + " via " + b.via() + ": " + n + " x " + what));
            }
            return lines;
        }

        /** Per endpoint: the median run's rps and latencies of the service and of the direct calls, and the ratios. */
        public Table summary() {
            var endpoint = StringColumn.create("endpoint");
            var serviceRps = DoubleColumn.create("service rps");
            var directRps = DoubleColumn.create("direct rps");
            var rpsRatio = DoubleColumn.create("rps service / direct");
            var serviceP50 = DoubleColumn.create("service p50 ms");
            var serviceP99 = DoubleColumn.create("service p99 ms");
            var serviceMax = DoubleColumn.create("service max ms");
            var directP50 = DoubleColumn.create("direct p50 ms");
            var directP99 = DoubleColumn.create("direct p99 ms");
            var p99Ratio = DoubleColumn.create("p99 service / direct");
            for (String e : ENDPOINTS) {
                List<Batch> s = of(e, SERVICE);
                List<Batch> d = of(e, DIRECT);
                double sRps = median(s, Batch::rps);
                double dRps = median(d, Batch::rps);
                double sP99 = median(s, b -> b.percentileMillis(99));
                double dP99 = median(d, b -> b.percentileMillis(99));
                endpoint.append("GET " + e);
                serviceRps.append(round(sRps, 0));
                directRps.append(round(dRps, 0));
                rpsRatio.append(round(sRps / dRps, 2));
                serviceP50.append(round(median(s, b -> b.percentileMillis(50)), 2));
                serviceP99.append(round(sP99, 2));
                serviceMax.append(round(s.stream().mapToDouble(Batch::maxMillis).max().orElse(Double.NaN), 2));
                directP50.append(round(median(d, b -> b.percentileMillis(50)), 2));
                directP99.append(round(dP99, 2));
                p99Ratio.append(round(sP99 / dP99, 2));
            }
            return Table.create(String.format(Locale.ROOT, "GET health and list, %s against direct calls: median of %d run%s of %d "
                            + "requests from %d clients (%s)", service, options.runs(), options.runs() == 1 ? "" : "s",
                            options.requests(), options.concurrency(), server),
                    endpoint, serviceRps, directRps, rpsRatio, serviceP50, serviceP99, serviceMax, directP50, directP99, p99Ratio);
        }

        /** Every batch: its run, endpoint, way, requests, answers 200, rps and latencies. */
        public Table runs() {
            var run = IntColumn.create("run");
            var endpoint = StringColumn.create("endpoint");
            var via = StringColumn.create("via");
            var requests = IntColumn.create("requests");
            var ok = IntColumn.create("ok");
            var rps = DoubleColumn.create("rps");
            var p50 = DoubleColumn.create("p50 ms");
            var p99 = DoubleColumn.create("p99 ms");
            var max = DoubleColumn.create("max ms");
            for (Batch b : batches) {
                run.append(b.run());
                endpoint.append("GET " + b.endpoint());
                via.append(b.via());
                requests.append(b.requests());
                ok.append(b.ok());
                rps.append(round(b.rps(), 0));
                p50.append(round(b.percentileMillis(50), 2));
                p99.append(round(b.percentileMillis(99), 2));
                max.append(round(b.maxMillis(), 2));
            }
            return Table.create("each run", run, endpoint, via, requests, ok, rps, p50, p99, max);
        }

        private List<Batch> of(String endpoint, String via) {
            return batches.stream().filter(b -> b.endpoint().equals(endpoint) && b.via().equals(via)).toList();
        }
    }

    /**
     * The lesson 06 tables, ready to be read: found as they are when all seven are managed here (whatever else is), or
     * prepared when the database holds none of what {@link ManagedTables#createAndConfigure} would replace (schemas
     * audit, analytics, archive, app.events, the manager): the seven tables, {@value #PREPARED_MONTHS} months up to the
     * server's current one with {@value #PREPARED_ROWS_PER_MONTH} rows a month, and one maintenance run (retention a
     * dry run). Anything else is refused (bad input, nothing changed): the benchmark never replaces someone's tables.
     * Returns what it did, for the report.
     */
    public static String prepare(Node node) {
        var manager = PartitionManager.on(node).triggeredBy("bench");
        if (manager.installed()) {
            Set<String> managed = new TreeSet<>();
            manager.config(null).column("parent_table").asList().forEach(t -> managed.add(String.valueOf(t)));
            if (managed.containsAll(ManagedTables.TABLES)) {
                return "the lesson 06 tables found managed here: measured as they are (" + managed.size() + " managed tables)";
            }
        }
        String found = String.valueOf(node.run("bench/api/lesson_objects.sql").lastTable().get(0, 0));
        if (!found.isBlank()) {
            throw new BadInput("this database holds " + found + " but not the seven lesson 06 tables all managed: bench-api would "
                    + "replace them, so it prepares nothing here; point it at the lesson's database (after lesson 06), an empty "
                    + "database (--dsn), or a running service (--url)");
        }
        ManagedTables.createAndConfigure(node);
        YearMonth now = YearMonth.from(manager.serverToday());
        YearMonth first = now.minusMonths(PREPARED_MONTHS - 1L);
        ManagedTables.seed(node, first, now, PREPARED_ROWS_PER_MONTH);
        Table lines = manager.locked(false, "bench-api", null, () -> manager.run(null, false, Progress.Mode.OFF));
        if (PartitionManager.anyError(lines)) throw new IllegalStateException("preparing the lesson 06 tables failed:\n" + lines.print());
        return String.format(Locale.ROOT, "prepared the lesson 06 tables in this database (it held none of them): %s to %s, %,d rows "
                + "a month each, one maintenance run (retention a dry run)", first, now, PREPARED_ROWS_PER_MONTH);
    }

    /**
     * Measures the service at {@code service} (its base URL; its token makes the header, which stays in the library) and
     * the direct calls on the node, interleaved run by run: each endpoint through the service, then directly.
     */
    public static Report measure(Node node, URI service, ServiceToken token, String serviceName, Options options,
                                 Progress.Mode progress, List<String> notes) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, HttpRequest> requests = new LinkedHashMap<>();
        for (String e : ENDPOINTS) {
            requests.put(e, HttpRequest.newBuilder(service.resolve(MaintenanceService.API + e)).timeout(Duration.ofMinutes(1))
                    .header("Authorization", token.authorization()).GET().build());
        }
        // a pool as large as the service's, borrowers giving up as the service's do
        Node direct = node.withOwnPool(Duration.ofSeconds(3), MaintenanceService.POOL_SIZE);
        PartitionManager manager = PartitionManager.on(direct);
        Map<String, Call> directCalls = Map.of("health", () -> manager.health(null), "list", () -> manager.list(null));
        List<String> said = new ArrayList<>(notes);
        ExecutorService clients = Executors.newFixedThreadPool(options.concurrency(), daemon());
        try (var bar = Progress.start("bench-api", 2L * ENDPOINTS.size() * ((long) options.warmup() + (long) options.runs() * options.requests()),
                "requests", progress)) {
            // what the service answers, checked once before any load: the token, and the same tables as the direct calls
            int tables = count(http, requests.get("health"), "tables", service);
            int partitions = count(http, requests.get("list"), "partitions", service);
            int directTables = manager.health(null).rowCount();
            int directPartitions = manager.list(null).rowCount();
            if (tables != directTables || partitions != directPartitions) {
                said.add(String.format(Locale.ROOT, "the service answers %d tables and %d partitions, the database the direct calls read %d and %d: "
                        + "is --dsn the service's database?", tables, partitions, directTables, directPartitions));
            }
            for (String e : ENDPOINTS) {
                if (options.warmup() > 0) {
                    load(clients, 0, e, SERVICE, options.warmup(), options.concurrency(), http(http, requests.get(e)));
                    bar.step(options.warmup());
                    load(clients, 0, e, DIRECT, options.warmup(), options.concurrency(), directCalls.get(e));
                    bar.step(options.warmup());
                }
            }
            List<Batch> batches = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                for (String e : ENDPOINTS) {
                    batches.add(load(clients, run, e, SERVICE, options.requests(), options.concurrency(), http(http, requests.get(e))));
                    bar.step(options.requests());
                    batches.add(load(clients, run, e, DIRECT, options.requests(), options.concurrency(), directCalls.get(e)));
                    bar.step(options.requests());
                }
            }
            return new Report(direct.serverVersion(), serviceName, options, batches, tables, partitions, said);
        } finally {
            clients.shutdownNow();
            direct.close();
        }
    }

    /** One call of a batch: returns normally when answered (an HTTP status other than 200 throws). */
    @FunctionalInterface
    interface Call {
        Object call() throws Exception;
    }

    private static Call http(HttpClient http, HttpRequest request) {
        return () -> {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) throw new Refused(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            return response;
        };
    }

    /** An answer other than 200, counted by its status. */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String body) {
            super("HTTP " + status + (body.isBlank() ? "" : " " + BadInput.oneLine(body)), null, false, false);
            this.status = status;
        }
    }

    /** The size of an array in one answer, the first request of all: a wrong token or an unreachable service stops here. */
    private static int count(HttpClient http, HttpRequest request, String field, URI service) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the service at " + service + ": " + BadInput.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() == 401) {
            throw new BadInput("the service at " + service + " refused the token (401): give its token with --token-file or " + ServiceToken.ENVIRONMENT);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + BadInput.oneLine(response.body()));
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode array = body.path(field);
            if (!array.isArray()) throw new IllegalStateException(request.uri() + " answered without \"" + field + "\": is this the partition maintenance API?");
            return array.size();
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " answered something other than JSON", e);
        }
    }

    /**
     * {@code requests} calls from {@code concurrency} threads at once, each taking the next request number until none is
     * left; the batch's time runs from the start signal to the last answer.
     */
    static Batch load(ExecutorService clients, int run, String endpoint, String via, int requests, int concurrency, Call call) {
        long[] nanos = new long[requests];
        boolean[] answered = new boolean[requests];
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong lastDone = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(clients.submit(() -> {
                start.await();
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long began = System.nanoTime();
                    try {
                        call.call();
                        answered[i] = true;
                    } catch (Refused r) {
                        failures.merge(r.getMessage().length() > 120 ? r.getMessage().substring(0, 120) + "..." : r.getMessage(), 1, Integer::sum);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    } catch (Exception e) {
                        failures.merge(e.getClass().getSimpleName() + ": " + Dsn.mask(BadInput.oneLine(String.valueOf(e.getMessage()))), 1, Integer::sum);
                    }
                    long done = System.nanoTime();
                    nanos[i] = done - began;
                    lastDone.accumulateAndGet(done, Math::max);
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        start.countDown();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        int ok = 0;
        for (boolean a : answered) if (a) ok++;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Batch(run, endpoint, via, requests, ok, new LinkedHashMap<>(failures), (lastDone.get() - started) / 1e9, sorted);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "bench-api-client-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static double median(List<Batch> batches, java.util.function.ToDoubleFunction<Batch> value) {
        return MaintenanceBench.median(batches.stream().map(b -> value.applyAsDouble(b)).toList());
    }

    private static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return v;
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
