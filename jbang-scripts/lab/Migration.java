package lab;

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
 * <pre>{@code
 * Migration.HASH.createBase(db);                 // app.users_distributed, seeded at LAB_SCALE
 * var outcome = Migration.HASH.migrate(db);      // fingerprints before and after, and the server's report
 * Claim.that(outcome.verdict(), outcome.noRowLost());
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

    /** The functions the base tables, migrations and load simulator share (sql/base/00_lab_functions.sql); idempotent. */
    public static void installFunctions(Node node) {
        node.run("base/00_lab_functions.sql");
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
        if (rows < 0) throw new BadInput("rows to seed must be 0 or more, not " + rows);
        installFunctions(node);
        return node.run(baseFile(), Map.of("lab.rows", Long.toString(rows), "lab.seed", Double.toString(seed))).lastTable();
    }

    /**
     * Runs the migration and proves what it did: the rows before, the partitioned table's and the kept original's
     * after. Run on a table already partitioned, it reports that and changes nothing.
     */
    public Outcome migrate(Node node) {
        State before = state(node);
        if (before == State.MISSING) {
            throw new BadInput("no table " + table() + " on node " + node.name() + ": create it first (Migration." + name()
                    + ".createBase, or sql/" + baseFile() + ")");
        }
        Fingerprint rowsBefore = Fingerprint.of(node, table());
        List<String> notices = node.run(migrationFile()).notices();
        Fingerprint rowsAfter = Fingerprint.of(node, table());
        Fingerprint kept = state(node) == State.PARTITIONED && Partitions.exists(node, oldTable()) ? Fingerprint.of(node, oldTable()) : null;
        return new Outcome(this, before == State.PLAIN, String.join("; ", notices), rowsBefore, rowsAfter, kept);
    }

    /** What a load or a lesson needs: the partitioned table, created and migrated if it is missing or still plain. */
    public Outcome ensure(Node node) {
        if (state(node) == State.MISSING) createBase(node);
        else installFunctions(node);
        return migrate(node);
    }

    /** One migration run: whether it migrated, what the server said, and the fingerprints that prove no row was lost. */
    public record Outcome(Migration migration, boolean migrated, String message, Fingerprint before, Fingerprint after, Fingerprint kept) {
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
