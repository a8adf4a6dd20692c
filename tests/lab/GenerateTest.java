package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;

/** The Generate runbook as a user runs it (a JVM of its own, real exit codes) and the generator behind it. */
class GenerateTest {
    private static final String SCHEMA = "generate_test";
    private static final String GUARDED = SCHEMA + ".events_guarded";
    private static final YearMonth FIRST = YearMonth.of(2024, 1);
    private static final YearMonth LAST = YearMonth.of(2024, 3);

    private static Node node;
    private static String dsn;

    @BeforeAll
    static void createTables() {
        node = Lab.connect("embedded").node("partitioned");
        dsn = node.dsn().url(true);
        node.run("generate/refusal_fixture.sql");
        for (String table : List.of("events_a", "events_b", "events_c", "events_guarded")) eventsTable(table);
        // rows already there, so that "nothing written" is a count that stays, not an empty table that stays empty
        EventGenerator.load(node, GUARDED, FIRST, FIRST, 10, 3, 7);
    }

    @Test
    void loadsEachMonthIntoItsPartitionWithTenantsInRange() throws Exception {
        var run = RunbookProcess.run("Generate", "--dsn", dsn, "--table", SCHEMA + ".events_a",
                "--from", "2024-01", "--to", "2024-03", "--per-month", "700", "--tenants", "7", "--seed", "42",
                "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode result = new ObjectMapper().readTree(run.out()).get("generated " + SCHEMA + ".events_a").get(0);
        assertEquals(2100, result.get("rows").asLong(), run::toString);
        assertEquals(42, result.get("seed").asLong());
        assertTrue(result.get("rows_per_s").asLong() > 0);

        List<String> leaves = Partitions.leafNames(node, SCHEMA + ".events_a");
        List<Long> rowsPerLeaf = new ArrayList<>();
        for (String leaf : leaves) rowsPerLeaf.add(node.count(leaf));
        assertEquals(List.of(700L, 700L, 700L, 0L), rowsPerLeaf, "rows of " + leaves + " (the last is the default)");

        Table profile = node.run("generate/load_profile.sql", Map.of("lab.table_name", SCHEMA + ".events_a")).lastTable();
        assertEquals(1, profile.intColumn("min_tenant").get(0));
        assertEquals(7, profile.intColumn("max_tenant").get(0));
        assertEquals(7, profile.intColumn("tenants").get(0), "2,100 rows over 7 tenants use them all");
        assertTrue(profile.intColumn("event_types").get(0) > 3, "a mix of event types");
    }

    @Test
    void theSameSeedGivesTheSameRowsWhateverTheConnections() {
        // the runbook on the default (embedded) topology with one COPY stream ...
        var run = RunbookProcess.run("Generate", "--node", "partitioned", "--table", SCHEMA + ".events_b",
                "--from", "2024-01", "--to", "2024-03", "--per-month", "120000", "--seed", "42", "--connections", "1");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("seed 42"), run::toString);
        // ... and the library with three: slices of the months are spread over the streams differently
        var stats = EventGenerator.load(node, EventGenerator.Request.of(SCHEMA + ".events_c", FIRST, LAST, 120_000, 1000, 42)
                .withConnections(3));
        assertEquals(360_000, stats.rows());
        assertEquals(3, stats.connections());

        Fingerprint b = Fingerprint.of(node, SCHEMA + ".events_b");
        Fingerprint c = Fingerprint.of(node, SCHEMA + ".events_c");
        assertEquals(360_000, b.rows());
        assertTrue(b.sameRowsAs(c), b + " vs " + c);

        eventsTable("events_c");
        EventGenerator.load(node, SCHEMA + ".events_c", FIRST, LAST, 120_000, 1000, 43);
        assertFalse(b.sameRowsAs(Fingerprint.of(node, SCHEMA + ".events_c")), "another seed, other rows");
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("a month that does not exist", Map.of("--from", "2024-13"), "2024-13"),
                Arguments.of("a month without its leading zero", Map.of("--to", "2024-1"), "2024-1"),
                Arguments.of("from after to", Map.of("--from", "2024-03", "--to", "2024-01"), "after"),
                Arguments.of("zero tenants", Map.of("--tenants", "0"), "tenants"),
                Arguments.of("zero rows a month", Map.of("--per-month", "0"), "per-month"),
                Arguments.of("an unknown table", Map.of("--table", SCHEMA + ".no_such_table"), "no_such_table"),
                Arguments.of("a table name smuggling SQL",
                        Map.of("--table", GUARDED + "; drop table " + SCHEMA + ".bystander"), "drop table"),
                Arguments.of("a table name with an open quote", Map.of("--table", "\"" + SCHEMA + ".events"), "table"),
                Arguments.of("a column of the wrong type", Map.of("--table", SCHEMA + ".wrong_types"), "column id"),
                Arguments.of("a missing column", Map.of("--table", SCHEMA + ".missing_column"), "payload"),
                Arguments.of("a view", Map.of("--table", SCHEMA + ".events_view"), "not a table"),
                Arguments.of("a malformed --dsn", Map.of("--dsn", "localhost:5432"), "--dsn"),
                Arguments.of("--dsn with --topology", Map.of("--topology", "embedded"), "--topology"),
                Arguments.of("an unknown format", Map.of("--format", "xml"), "xml"),
                Arguments.of("an unknown option", Map.of("--per-moth", "10"), "--per-moth"),
                Arguments.of("a load larger than the server's free disk",
                        Map.of("--per-month", "1000000000", "--to", "2099-12"), "free"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void badInput(String what, Map<String, String> mistake, String named) {
        long before = node.count(GUARDED);
        Map<String, String> options = new LinkedHashMap<>(Map.of("--dsn", dsn, "--table", GUARDED,
                "--from", "2024-01", "--to", "2024-03", "--per-month", "100", "--tenants", "5"));
        options.putAll(mistake);
        List<String> args = new ArrayList<>();
        options.forEach((option, value) -> args.addAll(List.of(option, value)));
        var run = RunbookProcess.run("Generate", args.toArray(String[]::new));

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        assertTrue(run.err().startsWith("error: ") && run.err().contains(named), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(before, node.count(GUARDED), "nothing written");
        assertEquals(1L, node.count(SCHEMA + ".bystander"), "the bystander table still stands");
    }

    @Test
    void aLoadThatWouldNotFitIsRefusedNamingBothSizes() {
        long before = node.count(GUARDED);
        // 1e9 rows a month for 76 years: about 215 TiB at EventGenerator.BYTES_PER_ROW, on no test machine's disk
        var run = RunbookProcess.run("Generate", "--dsn", dsn, "--table", GUARDED, "--from", "2024-01", "--to", "2099-12",
                "--per-month", "1000000000");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        DiskSpace.DataFolder folder = DiskSpace.of(node);
        assertTrue(folder.known(), "the embedded server's data folder is on this machine: " + folder);
        assertTrue(run.err().matches("(?s)error: the load needs about [0-9.]+ TiB \\(912,000,000,000 rows x ~"
                + EventGenerator.BYTES_PER_ROW + " bytes\\) but the data folder of node [^ ]+ \\(" + java.util.regex.Pattern.quote(folder.path().toString())
                + "\\) has [0-9.]+ [KMGTP]?i?B free\\s*"), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(before, node.count(GUARDED), "nothing written");
    }

    @Test
    void aRoleThatCannotSeeTheDataFolderLoadsWithANote() {
        node.run("generate/limited_role_fixture.sql");
        Dsn admin = node.dsn();
        String limited = new Dsn(admin.host(), admin.port(), admin.database(), "generate_limited", "generate_limited", null).url(true);
        long before = node.count(GUARDED);
        var run = RunbookProcess.run("Generate", "--dsn", limited, "--table", GUARDED, "--from", "2024-01", "--to", "2024-01",
                "--per-month", "10", "--tenants", "3");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("free disk not checked on node partitioned: the server shows its data_directory only to "
                + "superusers and pg_read_all_settings"), run::toString);
        assertEquals(before + 10, node.count(GUARDED), "loaded all the same");
    }

    @Test
    void directToShardsLoadsTheShardedTableOnlyAndThroughTheTopologyOnly() {
        long before = node.count(GUARDED);
        var otherTable = RunbookProcess.run("Generate", "--topology", "embedded", "--table", GUARDED, "--direct-to-shards");
        assertEquals(2, otherTable.exitCode(), otherTable::toString);
        assertTrue(otherTable.err().contains("app.events_sharded only") && otherTable.errLines().size() == 1, otherTable::toString);
        var oneServer = RunbookProcess.run("Generate", "--dsn", dsn, "--table", "app.events_sharded", "--direct-to-shards");
        assertEquals(2, oneServer.exitCode(), oneServer::toString);
        assertTrue(oneServer.err().contains("--dsn names one server") && oneServer.errLines().size() == 1, oneServer::toString);
        var shardAwareOther = RunbookProcess.run("Generate", "--topology", "embedded", "--table", GUARDED, "--shard-aware");
        assertEquals(2, shardAwareOther.exitCode(), shardAwareOther::toString);
        assertTrue(shardAwareOther.err().contains("--shard-aware loads app.events_sharded only"), shardAwareOther::toString);
        var both = RunbookProcess.run("Generate", "--topology", "embedded", "--table", "app.events_sharded", "--direct-to-shards", "--shard-aware");
        assertEquals(2, both.exitCode(), both::toString);
        assertTrue(both.err().contains("exclude each other") && both.errLines().size() == 1, both::toString);
        assertEquals(before, node.count(GUARDED), "nothing written");
    }

    @Test
    void helpDescribesTheOptionsAndExitsZero() {
        var run = RunbookProcess.run("Generate", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (String option : List.of("--dsn", "--topology", "--table", "--from", "--to", "--per-month", "--tenants", "--seed", "--format",
                "--direct-to-shards", "--shard-aware")) {
            assertTrue(run.out().contains(option), () -> option + " missing from --help:\n" + run.out());
        }
    }

    @Test
    void aMonthWithoutAPartitionFailsWithExitOneAndCommitsNothing() {
        node.run("generate/events_fixture.sql", Map.of("lab.schema", SCHEMA, "lab.table_name", "events_january",
                "lab.from_month", "2024-01", "lab.to_month", "2024-01", "lab.default_partition", "off"));
        var run = RunbookProcess.run("Generate", "--dsn", dsn, "--table", SCHEMA + ".events_january",
                "--from", "2024-01", "--to", "2024-02", "--per-month", "60000", "--seed", "1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: ") && run.err().contains("no partition"), run::toString);
        assertEquals(0, node.count(SCHEMA + ".events_january"), "January's rows rolled back with February's failure");
    }

    private static void eventsTable(String table) {
        node.run("generate/events_fixture.sql", Map.of("lab.schema", SCHEMA, "lab.table_name", table,
                "lab.from_month", FIRST.toString(), "lab.to_month", LAST.toString()));
    }
}
