package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The advisor's verdicts on the lab-made clear cases (sql/12-advisor, database advisor, at ci scale), with the
 * workload pg_stat_statements recorded on the embedded server, and that the analysis writes nothing.
 */
class AdvisorTest {
    private static Node db;
    private static Advisor.Report report;
    private static List<String> before;
    private static List<String> after;

    @BeforeAll
    static void analyseTheCases() {
        db = AdvisorCases.create(Lab.connect("embedded"), Scale.ci);
        before = DatabaseSnapshot.of(db);
        report = Advisor.analyze(db, Advisor.Options.forScale(Scale.ci));
        after = DatabaseSnapshot.of(db);
    }

    private static String why(Advisor.TableAdvice a) {
        return a.name() + ": " + a.why() + " / " + a.recommendation() + " / workload " + a.workload();
    }

    @Test
    void theEmbeddedServerRecordsTheWorkload() {
        assertTrue(report.workload().available(), report.workload().note());
        assertTrue(db.run("advisor/workload_status.sql").lastTable().booleanColumn("loaded").get(0));
        assertFalse(report.advice("app.readings").workload().isEmpty());
    }

    @Test
    void theTimeSeriesIsACandidateRangeByMonthOnRecordedAt() {
        var a = report.advice("app.readings");
        assertTrue(a.candidate(), () -> why(a));
        Recommendation r = a.recommendation();
        assertEquals(Recommendation.Strategy.RANGE, r.strategy(), () -> why(a));
        assertEquals("recorded_at", r.column());
        assertEquals(Recommendation.Interval.MONTH, r.interval());
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        assertEquals(now.minusMonths(12), r.firstMonth(), () -> why(a));
        assertEquals(now, r.lastMonth());
        assertEquals(12, a.retentionMonths(), () -> why(a));
        assertTrue(a.reasons().stream().anyMatch(l -> l.startsWith("a primary key without the key: (id) becomes (id, recorded_at)")), () -> why(a));
        // every query of 09_workload.sql on it, the first one too (its text starts with the file's header comment)
        assertEquals(5, a.workload().size(), () -> why(a));
        assertTrue(a.reasons().contains("the queries filter on recorded_at: 4 of 5 statement(s), 12 of 15 calls"), () -> why(a));
        assertTrue(a.workload().stream().noneMatch(st -> st.query().startsWith("--")), () -> why(a));
        assertTrue(a.metrics().estimatedRows() >= AdvisorCases.Sizes.of(Scale.ci).readings() * 9 / 10, () -> why(a));
    }

    @Test
    void theLookupIsTooSmall() {
        var a = report.advice("app.countries");
        assertFalse(a.candidate(), () -> why(a));
        assertTrue(a.reasons().get(0).startsWith("too small: ~1,000 estimated rows"), () -> why(a));
        assertEquals(Advisor.Priority.LOW, a.priority());
        assertEquals("too small", a.priorityReason());
        assertEquals(1, a.reasons().size(), () -> why(a));
        assertNull(a.recommendation());
    }

    @Test
    void theTenantTableGetsHashOrListByTenant() {
        var a = report.advice("app.tenant_documents");
        assertTrue(a.candidate(), () -> why(a));
        assertTrue(Set.of(Recommendation.Strategy.HASH, Recommendation.Strategy.LIST).contains(a.recommendation().strategy()), () -> why(a));
        assertEquals("tenant_id", a.recommendation().column());
        assertEquals(Recommendation.Strategy.HASH, a.recommendation().strategy(), "200 tenants: too many for LIST");
        assertTrue(a.reasons().contains("the queries never filter on its time column created_at"), () -> why(a));
        for (Workload.Statement s : Workload.of(db, "app.tenant_documents")) assertEquals(List.of("tenant_id"), s.filterColumns(), s::query);
    }

    @Test
    void aTableReferencedByAForeignKeyIsFlagged() {
        var a = report.advice("app.orders");
        assertFalse(a.candidate(), () -> why(a));
        assertTrue(a.reasons().stream().anyMatch(l -> l.startsWith("foreign keys point at it: app.order_lines (order_id) -> (id)")), () -> why(a));
        assertEquals("ordered_at", a.recommendation().column(), "what it would take, shown");
        assertEquals("foreign keys point at it", a.priorityReason());
        var lines = report.advice("app.order_lines");
        assertFalse(lines.candidate(), () -> why(lines));
        assertEquals(1, lines.foreignKeysOut().size());
    }

    @Test
    void theAuditTablesOfSeed003() {
        var logs = report.advice("audit.audit_logs");
        assertTrue(logs.candidate(), () -> why(logs));
        assertEquals(Recommendation.Strategy.RANGE, logs.recommendation().strategy());
        assertEquals("created_at", logs.recommendation().column());
        assertEquals(Recommendation.Interval.MONTH, logs.recommendation().interval());
        assertEquals(12, logs.retentionMonths());

        var history = report.advice("audit.object_history");
        assertTrue(history.candidate(), () -> why(history));
        assertEquals("changed_at", history.recommendation().column());

        var slow = report.advice("audit.slow_query_log");
        assertFalse(slow.candidate(), () -> why(slow));
        assertTrue(slow.reasons().get(0).startsWith("too small"), () -> why(slow));
        assertNull(slow.recommendation(), "too small: no layout");

        var chat = report.advice("audit.chat_messages");
        assertTrue(chat.candidate(), () -> why(chat));
        assertEquals("created_at", chat.recommendation().column(), () -> why(chat));
        assertEquals(3, chat.retentionMonths(), () -> why(chat));
    }

    @Test
    void theAnalysisWritesNothing() {
        assertEquals(before, after);
    }

    @Test
    void oneSchemaOneTableAndUnknownOnes() {
        var audit = Advisor.analyze(db, Advisor.Options.forScale(Scale.ci).withSchema("audit"));
        assertEquals(Set.of("audit.audit_logs", "audit.object_history", "audit.slow_query_log", "audit.chat_messages"),
                Set.copyOf(audit.tables().stream().map(Advisor.TableAdvice::name).toList()));
        var one = Advisor.analyze(db, Advisor.Options.forScale(Scale.ci).withTable("app.readings"));
        assertEquals(1, one.tables().size());
        var schema = assertThrows(BadInput.class, () -> Advisor.analyze(db, Advisor.Options.defaults().withSchema("no_such_schema")));
        assertTrue(schema.getMessage().contains("no schema no_such_schema"), schema.getMessage());
        var table = assertThrows(BadInput.class, () -> Advisor.analyze(db, Advisor.Options.defaults().withTable("app.no_such_table")));
        assertTrue(table.getMessage().contains("no table no_such_table in schema app"), table.getMessage());
    }

    @Test
    void theReportRendersAsThreeTables() {
        var tables = report.tablesToShow();
        assertEquals(List.of("advisor_metrics", "advisor_verdicts", "advisor_recommendations"), tables.stream().map(t -> t.name()).toList());
        assertEquals(report.tables().size(), tables.get(0).rowCount());
        assertTrue(Render.text(tables.get(2)).contains("range by month on recorded_at"), Render.text(tables.get(2)));
        assertTrue(report.notes().get(1).startsWith("workload: the workload comes from pg_stat_statements"), report.notes().toString());
    }

    @Test
    void thePartitionedTableIsLeftAlone() {
        var app = Lab.connect("embedded").node("partitioned");
        app.query("CREATE SCHEMA IF NOT EXISTS advisor_test");
        app.query("DROP TABLE IF EXISTS advisor_test.parted");
        app.query("CREATE TABLE advisor_test.parted (id int, at date) PARTITION BY RANGE (at)");
        try {
            var a = Advisor.analyze(app, Advisor.Options.defaults().withSchema("advisor_test")).advice("advisor_test.parted");
            assertFalse(a.candidate());
            assertTrue(a.reasons().get(0).startsWith("already partitioned: RANGE ("), a.why());
            assertNull(a.recommendation());
        } finally {
            app.query("DROP SCHEMA advisor_test CASCADE");
        }
    }

    @Test
    void withoutPgStatStatementsTheKeyIsTheTimeColumnUnchecked() {
        try (FreshDatabase fresh = new FreshDatabase("advisor_no_statements")) {
            Node node = fresh.node();
            node.query("CREATE TABLE public.events (id bigint PRIMARY KEY, at timestamptz NOT NULL, kind text)");
            node.query("INSERT INTO public.events SELECT i, now() - i * interval '1 hour', 'k' || (i % 3) FROM generate_series(1, 2000) i");
            node.query("ANALYZE public.events");
            List<String> before = fresh.fingerprint();
            var report = Advisor.analyze(node, Advisor.Options.defaults().withMinRows(1000));
            assertFalse(report.workload().available());
            assertTrue(report.workload().note().startsWith("pg_stat_statements is loaded but not installed"), report.workload().note());
            assertEquals(List.of(), Workload.of(node, "public.events"));
            var a = report.advice("public.events");
            assertTrue(a.candidate(), a::why);
            assertEquals("at", a.recommendation().column());
            assertTrue(a.reasons().get(1).startsWith("workload unknown (no pg_stat_statements)"), a::why);
            assertEquals(before, fresh.fingerprint());
        }
    }

    @Test
    void theFilterParserFindsTheColumnsThatPrune() {
        List<String> cols = List.of("id", "tenant_id", "created_at", "timestamp", "duration_ms", "order_id", "title");
        assertEquals(List.of("created_at"), Workload.filterColumns("SELECT * FROM t WHERE created_at >= now() - interval $1 ORDER BY created_at", cols));
        assertEquals(List.of("created_at"), Workload.filterColumns("select count(*) from t where created_at between $1 and $2", cols));
        assertEquals(List.of("tenant_id"), Workload.filterColumns("SELECT * FROM t WHERE tenant_id IN ($1, $2) AND title LIKE $3", cols));
        assertEquals(List.of("timestamp", "duration_ms"),
                Workload.filterColumns("SELECT * FROM s WHERE \"timestamp\" >= now() - $1::interval AND duration_ms > $2 LIMIT $3", cols));
        assertEquals(List.of("order_id"), Workload.filterColumns("SELECT sum(l.price) FROM lines l WHERE l.order_id = $1", cols));
        assertEquals(List.of(), Workload.filterColumns("SELECT * FROM a JOIN b ON a.id = b.order_id WHERE a.id = b.tenant_id", cols));
        assertEquals(List.of("tenant_id"), Workload.filterColumns("UPDATE t SET title = $1 WHERE (tenant_id = 'x')", cols));
        assertEquals(List.of(), Workload.filterColumns("INSERT INTO t (id) VALUES ($1)", cols));
    }

    /** A plain table as the advisor reads it: rows, a time column over the last 12 months, statements, keys. */
    private static Advisor.Facts facts(long rows, double deletesPerSecond, List<Workload.Statement> workload, List<Advisor.ColumnStats> columns) {
        var now = java.time.LocalDateTime.now(ZoneOffset.UTC);
        return new Advisor.Facts("app", "t", false, null, new Advisor.Metrics(rows, 0, 0, 0, 0, 0, 0, deletesPerSecond),
                List.of(new Advisor.TimeColumn("at", "timestamp with time zone", true, now.minusMonths(12), now)), columns,
                List.of(new Advisor.Key("primary key", "t_pkey", List.of("id"), null, List.of())), List.of(), workload, true);
    }

    private static Workload.Statement statement(String query, long calls, String... filters) {
        return new Workload.Statement(query, calls, 1, 1, List.of(filters));
    }

    @Test
    void priorityLayoutAndTwoLevels() {
        var options = Advisor.Options.defaults();
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        // deletes by the time column: DROP of a partition would replace them
        var deleted = Advisor.advise(facts(2_000_000, 3.5, List.of(statement("SELECT * FROM app.t WHERE at > $1", 10, "at"),
                statement("DELETE FROM app.t WHERE at < $1", 1, "at")), List.of()), options, now);
        assertEquals(Advisor.Priority.HIGH, deleted.priority(), deleted::why);
        assertTrue(deleted.priorityReason().startsWith("rows are deleted"), deleted::why);
        // ten times the threshold
        var big = Advisor.advise(facts(20_000_000, 0, List.of(statement("SELECT * FROM app.t WHERE at > $1", 10, "at")), List.of()), options, now);
        assertEquals(Advisor.Priority.HIGH, big.priority(), big::why);
        assertEquals(Recommendation.Interval.MONTH, big.recommendation().interval(), big::why);
        // a month above partitionRows: weeks; a day above it, with a second filter: range then hash
        var weekly = Advisor.advise(facts(300_000_000, 0, List.of(statement("SELECT * FROM app.t WHERE at > $1", 10, "at")), List.of()), options, now);
        assertEquals(Recommendation.Interval.WEEK, weekly.recommendation().interval(), weekly::why);
        var twoLevels = Advisor.advise(facts(5_000_000_000L, 0, List.of(statement("SELECT * FROM app.t WHERE at > $1 AND device = $2", 10, "at", "device")),
                List.of()), options, now);
        assertEquals(Recommendation.Strategy.RANGE_HASH, twoLevels.recommendation().strategy(), twoLevels::why);
        assertEquals("device", twoLevels.recommendation().subColumn());
        // a key with few values: LIST, its values from pg_stats
        var listed = Advisor.advise(facts(2_000_000, 0, List.of(statement("SELECT * FROM app.t WHERE region = $1", 10, "region")),
                List.of(new Advisor.ColumnStats("region", "text", true, 3L, true, List.of("eu", "us", "ap")))), options, now);
        assertEquals(Recommendation.Strategy.LIST, listed.recommendation().strategy(), listed::why);
        assertEquals(List.of("eu", "us", "ap"), listed.recommendation().listValues());
        // an identity column: a candidate, with the reason the generated plan refuses it
        var identity = Advisor.advise(facts(2_000_000, 0, List.of(statement("SELECT * FROM app.t WHERE at > $1", 10, "at")),
                List.of(new Advisor.ColumnStats("id", "bigint generated always as identity", true, 2_000_000L, false, List.of()))), options, now);
        assertTrue(identity.candidate(), identity::why);
        assertTrue(identity.why().contains("an identity column, id: the generated online migration needs ids from a sequence default"), identity::why);
        assertFalse(listed.why().contains("identity"), listed::why);
        // statements that filter on none of its columns
        var noKey = Advisor.advise(facts(2_000_000, 0, List.of(statement("SELECT count(*) FROM app.t", 10)), List.of()), options, now);
        assertFalse(noKey.candidate(), noKey::why);
        assertTrue(noKey.reasons().get(1).startsWith("no partition key the queries filter on"), noKey::why);
        assertEquals(List.of("eu", "us ap", "x\"y"), Advisor.arrayText("{eu,\"us ap\",\"x\\\"y\"}"));
    }

    @Test
    void intervalsAndModuli() {
        assertEquals(Recommendation.Interval.MONTH, Advisor.interval(1_000_000, 10_000_000));
        assertEquals(Recommendation.Interval.WEEK, Advisor.interval(30_000_000, 10_000_000));
        assertEquals(Recommendation.Interval.DAY, Advisor.interval(100_000_000, 10_000_000));
        assertEquals(4, Advisor.modulus(1_500_000, 1_000_000));
        assertEquals(16, Advisor.modulus(12_000_000, 1_000_000));
        assertEquals(64, Advisor.modulus(1e12, 1_000_000));
    }
}
