package lab;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * An application writing to the partition-types lessons' tables while a lesson changes them under it: one row at a
 * time, each an {@code INSERT ... RETURNING id} from {@code sql/load/}, the table drawn by weight from a mix.
 *
 * <pre>{@code
 * var load = LoadSimulator.start(db, LoadSimulator.Options.defaults().withInterval(Duration.ofMillis(10)));
 * // ... re-partition, attach, detach while rows keep arriving
 * var summary = load.stop();                     // rows written and errors per table
 * var check = load.verify();                     // every row it reported written, looked up by id
 * Claim.that(check.verdict(), check.everyRowPresent());
 * }</pre>
 *
 * <p>It writes on a daemon thread of its own through its own connection, not the node's pool, so a lesson's pool is
 * never starved and a lock the lesson takes holds up the load as it would hold up an application. A failing insert
 * is counted against its table and the run goes on; a broken connection is opened again. The id of every row it
 * reports written is kept, so {@link #verify()} can prove that none was lost.
 *
 * <p>This class holds what a load is (its tables, options and mix), how it starts, and what it did (its summary and
 * the verification); {@link LoadWriter} is the thread that writes, counts and stops.
 */
public final class LoadSimulator implements AutoCloseable {
    /** The default mix: weights, not percentages, though these add up to 100. */
    public static final String DEFAULT_MIX = "events=30,users=25,orders=25,sales=20";
    public static final long DEFAULT_INTERVAL_MS = 100;
    /** Weights are drawn as ints; a million leaves room for any ratio anyone means. */
    private static final int MAX_TOTAL_WEIGHT = 1_000_000;

    /** Ids per lookup in {@link #verify()}: a few dozen kB of setting text per statement. */
    private static final int VERIFY_CHUNK = 5_000;
    /** Inserts failing in a row before the load stops by itself: its server is gone, or refuses every write. */
    public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 50;
    /** The longest run a duration may ask for: nanosecond clocks overflow at 292 years, and nobody means more. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private final Node node;
    private final LoadWriter writer;

    /** The tables the load writes to, by the short name the mix uses. */
    public enum Target {
        events(Migration.RANGE),
        users(Migration.HASH),
        orders(Migration.LIST),
        sales(Migration.COMPOSITE),
        /** The advisor's time series (lesson 12): not in the default mix, and never created here (sql/12-advisor/01_readings.sql). */
        readings(null);

        private final Migration migration;

        Target(Migration migration) {
            this.migration = migration;
        }

        /** The lesson migration that creates the table when it is missing; null for a table that must exist ({@link #readings}). */
        public Migration migration() {
            return migration;
        }

        /** E.g. {@code app.event_logs}. */
        public String table() {
            return migration == null ? "app." + name() : migration.table();
        }

        /** The one statement that writes a row and returns its id. */
        String insertFile() {
            return "load/insert_" + unqualifiedTable() + ".sql";
        }

        private String unqualifiedTable() {
            return table().substring(table().indexOf('.') + 1);
        }

        /** By short name ({@code events}) or table name ({@code event_logs}, {@code app.event_logs}). */
        public static Target named(String name) {
            String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            for (Target t : values()) {
                if (wanted.equals(t.name()) || wanted.equals(t.table()) || wanted.equals(t.unqualifiedTable())) return t;
            }
            throw new BadInput("unknown table '" + name + "' in the mix: use " + Arrays.stream(values())
                    .map(t -> t.name() + " (" + t.table() + ")").collect(Collectors.joining(", ")));
        }

        /** {@value LoadSimulator#DEFAULT_MIX}. */
        public static Map<Target, Integer> defaultMix() {
            return parseMix(DEFAULT_MIX);
        }
    }

    /**
     * How to write. {@code interval} is the pause between inserts (0: as fast as one connection goes), {@code duration}
     * how long to run ({@code null}: until {@link #stop()}), {@code mix} the weight of each table, {@code seed} fixes the
     * sequence of tables (the rows' values are drawn by the server). Invalid values throw {@link BadInput}. The mix
     * keeps the tables with a weight above 0, in {@link Target} order.
     */
    public record Options(Duration interval, Duration duration, Map<Target, Integer> mix, long seed, int maxConsecutiveFailures) {
        public Options {
            if (interval == null || interval.isNegative()) {
                throw new BadInput("interval must be 0 ms or more, got " + (interval == null ? "none" : interval.toMillis() + " ms"));
            }
            if (interval.compareTo(MAX_DURATION) > 0) {
                throw new BadInput("interval must be at most " + MAX_DURATION.toDays() + " days, got " + interval.toSeconds() + " s");
            }
            if (duration != null && (duration.isZero() || duration.isNegative())) {
                throw new BadInput("duration must be more than 0 s, got " + duration.toSeconds() + " s (leave it out to run until stopped)");
            }
            if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
                throw new BadInput("duration must be at most " + MAX_DURATION.toSeconds() + " s (" + MAX_DURATION.toDays() + " days), got "
                        + duration.toSeconds() + " s (leave it out to run until stopped)");
            }
            if (maxConsecutiveFailures < 1) {
                throw new BadInput("failed inserts in a row before stopping must be 1 or more, got " + maxConsecutiveFailures);
            }
            mix = checkedMix(mix);
        }

        /** Stopping after {@value LoadSimulator#DEFAULT_MAX_CONSECUTIVE_FAILURES} inserts failed in a row. */
        public Options(Duration interval, Duration duration, Map<Target, Integer> mix, long seed) {
            this(interval, duration, mix, seed, DEFAULT_MAX_CONSECUTIVE_FAILURES);
        }

        /** Every {@value LoadSimulator#DEFAULT_INTERVAL_MS} ms until stopped, the default mix, a random seed. */
        public static Options defaults() {
            return new Options(Duration.ofMillis(DEFAULT_INTERVAL_MS), null, Target.defaultMix(), EventGenerator.randomSeed());
        }

        public Options withInterval(Duration interval) {
            return new Options(interval, duration, mix, seed, maxConsecutiveFailures);
        }

        public Options withDuration(Duration duration) {
            return new Options(interval, duration, mix, seed, maxConsecutiveFailures);
        }

        public Options withMix(Map<Target, Integer> mix) {
            return new Options(interval, duration, mix, seed, maxConsecutiveFailures);
        }

        public Options withSeed(long seed) {
            return new Options(interval, duration, mix, seed, maxConsecutiveFailures);
        }

        /** Stop by itself after this many inserts failed in a row (its server gone, say). */
        public Options withMaxConsecutiveFailures(int failures) {
            return new Options(interval, duration, mix, seed, failures);
        }

        public int totalWeight() {
            return mix.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** {@code events=30,users=25,orders=25,sales=20}: tables left out get no rows. Malformed text throws {@link BadInput}. */
    public static Map<Target, Integer> parseMix(String text) {
        if (text == null || text.isBlank()) throw new BadInput("the mix is empty: give weights such as " + DEFAULT_MIX);
        Map<Target, Integer> mix = new EnumMap<>(Target.class);
        for (String entry : text.split(",", -1)) {
            String[] parts = entry.split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new BadInput("mix entry '" + entry.strip() + "' is not TABLE=WEIGHT (e.g. " + DEFAULT_MIX + ")");
            }
            Target target = Target.named(parts[0]);
            int weight;
            try {
                weight = Integer.parseInt(parts[1].strip());
            } catch (NumberFormatException e) {
                throw new BadInput("weight of " + target + " in the mix is not a whole number: '" + parts[1].strip() + "'");
            }
            if (mix.put(target, weight) != null) throw new BadInput(target + " appears twice in the mix '" + text + "'");
        }
        return checkedMix(mix);
    }

    private static Map<Target, Integer> checkedMix(Map<Target, Integer> mix) {
        if (mix == null || mix.isEmpty()) throw new BadInput("the mix is empty: give weights such as " + DEFAULT_MIX);
        Map<Target, Integer> positive = new EnumMap<>(Target.class);
        for (var e : mix.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) throw new BadInput("the mix has a table or a weight missing: " + mix);
            if (e.getValue() < 0) throw new BadInput("weight of " + e.getKey() + " must be 0 or more, got " + e.getValue());
            if (e.getValue() > 0) positive.put(e.getKey(), e.getValue());
        }
        if (positive.isEmpty()) throw new BadInput("every weight in the mix is 0: give at least one table a weight above 0");
        long total = positive.values().stream().mapToLong(Integer::longValue).sum();
        if (total > MAX_TOTAL_WEIGHT) throw new BadInput("the weights in the mix add up to " + total + ", more than " + MAX_TOTAL_WEIGHT + ": use smaller ones");
        return Collections.unmodifiableMap(positive);
    }

    private LoadSimulator(Node node, LoadWriter writer) {
        this.node = node;
        this.writer = writer;
    }

    /** Every {@value #DEFAULT_INTERVAL_MS} ms, the default mix, until {@link #stop()}. */
    public static LoadSimulator start(Node node) {
        return start(node, Options.defaults());
    }

    /**
     * Creates and partitions every table of the mix that is missing ({@link Migration#ensure}), connects, and starts
     * writing. A table that exists is written as it is, partitioned or still plain: a lesson can load a table while it
     * migrates it. {@link Target#readings} is never created here: missing, it is {@link BadInput}. Problems that stop it
     * from writing at all (no server, a missing file) are thrown here, not counted.
     */
    public static LoadSimulator start(Node node, Options options) {
        Map<Target, String> inserts = new EnumMap<>(Target.class);
        for (Target target : options.mix().keySet()) inserts.put(target, insertStatement(target));
        for (Target target : options.mix().keySet()) {
            if (target.migration() == null && !Partitions.exists(node, target.table())) { // refused before anything is installed
                throw new BadInput("no table " + target.table() + " to load: create it first (sql/12-advisor/01_readings.sql)");
            }
        }
        Migration.installFunctions(node); // the inserts draw their values with them
        for (Target target : options.mix().keySet()) {
            if (target.migration() != null && target.migration().state(node) == Migration.State.MISSING) target.migration().ensure(node);
        }
        try {
            LoadSimulator load = new LoadSimulator(node, LoadWriter.open(node, options, inserts));
            load.writer.start();
            return load;
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), "(the load simulator's connection)", e);
        }
    }

    private static String insertStatement(Target target) {
        List<String> statements = Sql.file(target.insertFile()).statements();
        if (statements.size() != 1) {
            throw new IllegalStateException("sql/" + target.insertFile() + " must hold one INSERT ... RETURNING id, it holds " + statements.size() + " statements");
        }
        return statements.get(0);
    }

    /** Still writing: neither stopped nor at the end of its duration. */
    public boolean running() {
        return writer.running();
    }

    /** What it has done so far; safe to call at any time, from any thread. */
    public Summary snapshot() {
        return writer.snapshot();
    }

    /**
     * Stops writing and says what it did: the insert under way finishes, or is cancelled after a few seconds; when the
     * cancel cannot reach the server either (it is gone, or does not answer), the writer's connection is aborted a few
     * seconds later, so that stopping never waits on a dead server.
     */
    public Summary stop() {
        return writer.stop();
    }

    /** Why the load stopped by itself ({@code stopped after 50 inserts failed in a row; the last: ...}), or null. */
    public String stoppedBecause() {
        return writer.stoppedBecause();
    }

    /** Per table that has failed, its first failure (one line, no password): what a runbook shows as it happens. */
    public Map<Target, String> firstErrors() {
        return writer.firstErrors();
    }

    /** Waits for the end of a run with a duration. */
    public Summary awaitEnd() {
        return writer.awaitEnd();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Looks up every id it reported written in its table (through {@code sql/load/count_present.sql}, in chunks), so
     * rows lost by a re-partitioning show as missing. Call it after {@link #stop()} for totals that no longer move.
     */
    public Verification verify() {
        return verify(Map.of());
    }

    /**
     * As {@link #verify()}, where a row may also have moved on purpose to another table: {@code alsoIn} maps a target
     * to that table (app.event_logs to app.event_logs_archive when a partition was detached into it).
     */
    public Verification verify(Map<Target, String> alsoIn) {
        List<Presence> presence = new ArrayList<>();
        writer.targets().forEach(target -> {
            long[] ids = writer.ids(target);
            long present = 0;
            for (int from = 0; from < ids.length; from += VERIFY_CHUNK) {
                int to = Math.min(ids.length, from + VERIFY_CHUNK);
                StringBuilder csv = new StringBuilder((to - from) * 8);
                for (int i = from; i < to; i++) csv.append(i == from ? "" : ",").append(ids[i]);
                Table found = node.run("load/count_present.sql", Map.of("lab.table_name", target.table(),
                        "lab.also_in", alsoIn.getOrDefault(target, ""), "lab.ids", csv.toString())).lastTable();
                if (found.rowCount() > 0) present += ((Number) found.get(0, 0)).longValue(); // no row: the table is gone
            }
            presence.add(new Presence(target, ids.length, present));
        });
        return new Verification(presence);
    }

    /** One table's share of a load: rows written (and their ids kept), failed inserts and the last failure. */
    public record Count(Target target, long written, long errors, String lastError) {}

    /** What a load did (or has done so far): per table and in total. */
    public record Summary(Options options, List<Count> counts, Duration elapsed) {
        public long written() {
            return counts.stream().mapToLong(Count::written).sum();
        }

        public long errors() {
            return counts.stream().mapToLong(Count::errors).sum();
        }

        public Count count(Target target) {
            return counts.stream().filter(c -> c.target() == target).findFirst()
                    .orElse(new Count(target, 0, 0, null));
        }

        public double seconds() {
            return elapsed.toNanos() / 1e9;
        }

        public double rowsPerSecond() {
            return written() / Math.max(seconds(), 1e-9);
        }

        /** For a live display: {@code 12.0 s  events 120  users 98  orders 101  sales 77  errors 0  (33 rows/s)}. */
        public String statusLine() {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%.1f s", seconds()));
            for (Count c : counts) line.append("  ").append(c.target()).append(' ').append(c.written());
            return line.append(String.format(Locale.ROOT, "  errors %d  (%.0f rows/s)", errors(), rowsPerSecond())).toString();
        }

        /** Per table: weight and actual share, rows written, errors, rows/s and the last error. */
        public Table toTable() {
            StringColumn target = StringColumn.create("target");
            StringColumn table = StringColumn.create("table");
            DoubleColumn weight = DoubleColumn.create("weight_pct");
            DoubleColumn share = DoubleColumn.create("share_pct");
            LongColumn written = LongColumn.create("written");
            LongColumn errors = LongColumn.create("errors");
            DoubleColumn rate = DoubleColumn.create("rows_per_s");
            StringColumn lastError = StringColumn.create("last_error");
            long all = written();
            for (Count c : counts) {
                target.append(c.target().name());
                table.append(c.target().table());
                weight.append(round1(100.0 * options.mix().get(c.target()) / options.totalWeight()));
                share.append(all == 0 ? 0 : round1(100.0 * c.written() / all));
                written.append(c.written());
                errors.append(c.errors());
                rate.append(round1(c.written() / Math.max(seconds(), 1e-9)));
                lastError.append(c.lastError() == null ? "" : c.lastError());
            }
            return Table.create(String.format(Locale.ROOT, "load: %,d rows in %.1f s", all, seconds()),
                    target, table, weight, share, written, errors, rate, lastError);
        }

        /** {@link #toTable()} with each table's rows found and missing, before the last error. */
        public Table toTable(Verification verification) {
            Table table = toTable();
            LongColumn present = LongColumn.create("present");
            LongColumn missing = LongColumn.create("missing");
            for (Count c : counts) {
                Presence p = verification.of(c.target());
                present.append(p.present());
                missing.append(p.missing());
            }
            int before = table.columnIndex("last_error");
            table.insertColumn(before, missing);
            table.insertColumn(before, present);
            return table;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "wrote %,d rows into %d table%s in %.1f s (%,.0f rows/s), %,d error%s (seed %d, one insert every %d ms)",
                    written(), counts.size(), counts.size() == 1 ? "" : "s", seconds(), rowsPerSecond(), errors(),
                    errors() == 1 ? "" : "s", options.seed(), options.interval().toMillis());
        }

        private static double round1(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }

    /** One table's check: the rows the load reported written, and how many of them the table holds. */
    public record Presence(Target target, long written, long present) {
        public long missing() {
            return written - present;
        }
    }

    /** The proof that no row the load reported written was lost. */
    public record Verification(List<Presence> targets) {
        public Presence of(Target target) {
            return targets.stream().filter(p -> p.target() == target).findFirst().orElse(new Presence(target, 0, 0));
        }

        public long written() {
            return targets.stream().mapToLong(Presence::written).sum();
        }

        public long missing() {
            return targets.stream().mapToLong(Presence::missing).sum();
        }

        public boolean everyRowPresent() {
            return missing() == 0;
        }

        public Table table() {
            StringColumn target = StringColumn.create("target");
            StringColumn table = StringColumn.create("table");
            LongColumn written = LongColumn.create("written");
            LongColumn present = LongColumn.create("present");
            LongColumn missing = LongColumn.create("missing");
            for (Presence p : targets) {
                target.append(p.target().name());
                table.append(p.target().table());
                written.append(p.written());
                present.append(p.present());
                missing.append(p.missing());
            }
            return Table.create("rows the load wrote, looked up by id", target, table, written, present, missing);
        }

        public String verdict() {
            if (everyRowPresent()) return String.format(Locale.ROOT, "all %,d rows the load reported written are in their tables", written());
            return String.format(Locale.ROOT, "%,d of the %,d rows the load reported written are MISSING (%s)", missing(), written(),
                    targets.stream().filter(p -> p.missing() > 0).map(p -> p.target().table() + " " + p.missing())
                            .collect(Collectors.joining(", ")));
        }

        @Override
        public String toString() {
            return verdict();
        }
    }
}
