package lab;

import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The four migrations of the partition-types lessons: an ordinary table ({@code sql/base/<table>.sql}) becomes a
 * partitioned one ({@code sql/migrate/<type>_<table>.sql}) in one transaction, keeps its name, and leaves the
 * original behind as {@code <table>_old}. Each is safe to run again: the second run changes nothing.
 *
 * <p>The transaction holds ACCESS EXCLUSIVE on the table from its start to its commit, taken under the
 * {@link LockDiscipline} (given up: {@link LockGiveUp}, nothing changed): every reader and writer waits for the whole
 * copy and index build. Fine for a small table; {@link OnlineMigration} moves a big one while they go on.
 *
 * <pre>{@code
 * Migration.HASH.createBase(db);                 // app.users_distributed, seeded at LAB_SCALE
 * var outcome = Migration.HASH.migrate(db);      // fingerprints before and after, and the server's report
 * Claim.that(outcome.verdict(), outcome.noRowLost());
 * var watched = Migration.HASH.migrate(db, Migration.Options.defaults().probed());  // and the waits readers and writers saw
 * }</pre>
 */
public enum Migration {
    RANGE("event_logs", 1.0, "by month on created_at: 2024_01..2024_03 and a DEFAULT"),
    HASH("users_distributed", 0.5, "by hash of id into 4 partitions"),
    LIST("orders_by_region", 1.0, "by region: north_america, europe, asia_pacific and other (DEFAULT)"),
    COMPOSITE("sales_data", 1.0, "by quarter (RANGE), then by category (LIST): 6 leaves");

    /** Same seed, same rows: lessons and tests see the same data every run. */
    public static final double DEFAULT_SEED = 0.42;

    private final String baseName;
    private final double shareOfSeedRows;
    private final String layout;

    Migration(String baseName, double shareOfSeedRows, String layout) {
        this.baseName = baseName;
        this.shareOfSeedRows = shareOfSeedRows;
        this.layout = layout;
    }

    /** Where a table stands: not there, an ordinary table, or already partitioned. */
    public enum State { MISSING, PLAIN, PARTITIONED }

    /** The table the application uses, e.g. {@code app.event_logs}. */
    public String table() {
        return "app." + baseName;
    }

    /** The original kept for comparison, e.g. {@code app.event_logs_old}. */
    public String oldTable() {
        return table() + "_old";
    }

    public String baseFile() {
        return "base/" + baseName + ".sql";
    }

    public String migrationFile() {
        return "migrate/" + name().toLowerCase(Locale.ROOT) + "_" + baseName + ".sql";
    }

    /** The partition layout the migration builds, in words. */
    public String layout() {
        return layout;
    }

    /** Rows seeded into the base table at a scale (users get half as many as the others). */
    public long seedRows(Scale scale) {
        return Math.round(scale.seedRows() * shareOfSeedRows);
    }

    /** By type ({@code hash}) or table name ({@code users_distributed}, {@code app.users_distributed}). */
    public static Migration named(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (Migration m : values()) {
            if (wanted.equals(m.name().toLowerCase(Locale.ROOT)) || wanted.equals(m.baseName) || wanted.equals(m.table())) return m;
        }
        throw new BadInput("unknown migration '" + name + "': use one of " + String.join(", ",
                Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT) + " (" + m.table() + ")").toList()));
    }

    /**
     * The functions the base tables, migrations and load simulator share (sql/base/00_lab_functions.sql), and the lock
     * discipline they take their locks under (schema online, {@link OnlineSwap#install}); idempotent.
     */
    public static void installFunctions(Node node) {
        OnlineSwap.install(node);
        node.run("base/00_lab_functions.sql");
    }

    /** Whether a name is one of the four lesson tables ({@code app.users_distributed}, {@code hash}, ...). */
    public static boolean isNamed(String name) {
        try {
            named(name);
            return true;
        } catch (BadInput unknown) {
            return false;
        }
    }

    /**
     * How a migration takes its lock ({@link LockDiscipline}: lock_timeout per attempt and a budget), and whether a
     * {@link LockProbe} measures meanwhile what a reader and a writer of the table wait.
     */
    public record Options(LockDiscipline discipline, boolean probe) {
        public static Options defaults() {
            return new Options(LockDiscipline.defaults(), false);
        }

        public Options with(LockDiscipline d) {
            return new Options(d, probe);
        }

        public Options probed() {
            return new Options(discipline, true);
        }
    }

    public State state(Node node) {
        Object kind = node.scalar("SELECT coalesce((SELECT relkind::text FROM pg_class WHERE oid = to_regclass(?)), '')", table());
        return switch (String.valueOf(kind)) {
            case "" -> State.MISSING;
            case "p" -> State.PARTITIONED;
            default -> State.PLAIN;
        };
    }

    /** Starts over with the ordinary table, seeded at LAB_SCALE; drops the table and its {@code _old} copy first. */
    public Table createBase(Node node) {
        return createBase(node, seedRows(Scale.current()), DEFAULT_SEED);
    }

    /** Starts over with the ordinary table holding {@code rows} seeded rows (0 for an empty table). */
    public Table createBase(Node node, long rows, double seed) {
        return createBase(node, rows, seed, Map.of());
    }

    /**
     * Starts over with app.event_logs holding {@code rows} events spread over the months from {@code first} to
     * {@code last} (both included) instead of all of 2024: what a benchmark seeds to have given months full.
     */
    public Table createBase(Node node, long rows, double seed, YearMonth first, YearMonth last) {
        if (this != RANGE) throw new BadInput("only " + RANGE.table() + " is seeded by month");
        PartitionManager.requireMonthRange(first, last);
        return createBase(node, rows, seed, Map.of("lab.from_month", first.toString(), "lab.to_month", last.toString()));
    }

    private Table createBase(Node node, long rows, double seed, Map<String, String> more) {
        if (rows < 0) throw new BadInput("rows to seed must be 0 or more, not " + rows);
        installFunctions(node);
        Map<String, String> settings = new java.util.HashMap<>(more);
        settings.put("lab.rows", Long.toString(rows));
        settings.put("lab.seed", Double.toString(seed));
        return node.run(baseFile(), settings).lastTable();
    }

    /**
     * Runs the migration and proves what it did: the rows before, the partitioned table's and the kept original's
     * after. Run on a table already partitioned, it reports that and changes nothing.
     */
    public Outcome migrate(Node node) {
        return migrate(node, Options.defaults());
    }

    /**
     * As {@link #migrate(Node)}, under the given lock discipline; probed, with the longest wait a reader and a writer
     * of the table saw meanwhile. A lock not got within the budget is a {@link LockGiveUp} (nothing changed).
     */
    public Outcome migrate(Node node, Options options) {
        State before = state(node);
        if (before == State.MISSING) {
            throw new BadInput("no table " + table() + " on node " + node.name() + ": create it first (Migration." + name()
                    + ".createBase, or sql/" + baseFile() + ")");
        }
        Fingerprint rowsBefore = Fingerprint.of(node, table());
        List<String> notices;
        List<LockProbe.Longest> waits = List.of();
        LockProbe probe = options.probe() ? LockProbe.start(node, table()) : null;
        long started = System.nanoTime();
        long ended;
        try {
            notices = node.run(migrationFile(), options.discipline().settings()).notices();
        } catch (LabSqlException e) {
            throw e.classified();
        } finally {
            ended = System.nanoTime();
            if (probe != null) waits = LockProbe.longest(probe.stop(), List.of(table()), started, Long.MAX_VALUE);
        }
        double millis = (ended - started) / 1e6;
        Fingerprint rowsAfter = Fingerprint.of(node, table());
        Fingerprint kept = state(node) == State.PARTITIONED && Partitions.exists(node, oldTable()) ? Fingerprint.of(node, oldTable()) : null;
        return new Outcome(this, before == State.PLAIN, String.join("; ", notices), rowsBefore, rowsAfter, kept, millis, waits);
    }

    /**
     * The dry run: what the migration would do to the table now, and what it locks for how long; changes nothing.
     * Empty when the table is partitioned already (nothing to do).
     */
    public Table plan(Node node) {
        StringColumn step = StringColumn.create("step");
        StringColumn file = StringColumn.create("file");
        StringColumn what = StringColumn.create("what");
        StringColumn locks = StringColumn.create("locks");
        Table plan = Table.create("plan: migrate " + table() + " in one transaction", step, file, what, locks);
        if (state(node) == State.MISSING) throw new BadInput("no table " + table() + " on node " + node.name());
        if (state(node) == State.PARTITIONED) return plan;
        step.append("migrate in one transaction");
        file.append("sql/" + migrationFile());
        what.append(String.format(java.util.Locale.ROOT, "%s steps aside as %s; %s, partitioned %s, takes its name; %,d rows copied, the indexes built",
                table(), oldTable(), table(), layout, node.count(table())));
        locks.append("ACCESS EXCLUSIVE on " + table() + " from the start to the commit: every reader and every writer waits for "
                + "the whole copy and index build");
        return plan;
    }

    /** What a load or a lesson needs: the partitioned table, created and migrated if it is missing or still plain. */
    public Outcome ensure(Node node) {
        if (state(node) == State.MISSING) createBase(node);
        else installFunctions(node);
        return migrate(node);
    }

    /**
     * One migration run: whether it migrated, what the server said, the fingerprints that prove no row was lost, how
     * long it took, and (probed) the longest a writer and a reader of the table waited meanwhile.
     */
    public record Outcome(Migration migration, boolean migrated, String message, Fingerprint before, Fingerprint after, Fingerprint kept,
                          double millis, List<LockProbe.Longest> waits) {
        /** Migrated: the new table and the kept original hold exactly the rows of before. Not migrated: nothing changed. */
        public boolean noRowLost() {
            return before.sameRowsAs(after) && (!migrated || kept != null && kept.sameRowsAs(before));
        }

        public String verdict() {
            String rows = String.format("%,d rows", after.rows());
            if (!migrated) return migration.table() + " was already partitioned: nothing changed (" + rows + ")";
            return migration.table() + " partitioned " + migration.layout + ", " + rows + (noRowLost()
                    ? ", the same rows as before and as " + migration.oldTable()
                    : ": ROWS DIFFER from before");
        }

        /** The longest wait of one role (writer or reader) on the table, when probed. */
        public LockProbe.Longest longestWait(LockProbe.Role role) {
            return waits.stream().filter(w -> w.role() == role).findFirst()
                    .orElseThrow(() -> new IllegalStateException("not probed: migrate with Migration.Options.defaults().probed()"));
        }

        /** What the probe saw: per role, the lock it asks for, its longest wait (or "< floor") and the noise floor. */
        public Table waitsTable() {
            StringColumn role = StringColumn.create("who");
            StringColumn mode = StringColumn.create("lock asked for");
            StringColumn longest = StringColumn.create("longest wait (ms)");
            StringColumn floor = StringColumn.create("noise floor (ms)");
            for (LockProbe.Longest w : waits) {
                role.append(w.role().label());
                mode.append(w.role().lockMode());
                longest.append(w.shown());
                floor.append(String.format(java.util.Locale.ROOT, "%.1f", w.floorMillis()));
            }
            return Table.create(String.format(java.util.Locale.ROOT, "waits on %s during the migration (%.0f ms)", migration.table(), millis),
                    role, mode, longest, floor);
        }

        /** The fingerprints side by side: before, after, and the kept original. */
        public Table table() {
            Fingerprint beforeAs = new Fingerprint(before.table() + " (before)", before.rows(), before.checksum());
            Table prints = kept == null ? Fingerprint.table(beforeAs, after) : Fingerprint.table(beforeAs, after, kept);
            StringColumn server = StringColumn.create("server said");
            for (int i = 0; i < prints.rowCount(); i++) server.append(i == 1 ? message : "");
            return prints.addColumns(server).setName("migration " + migration.name().toLowerCase(Locale.ROOT) + " of " + migration.table());
        }
    }
}
