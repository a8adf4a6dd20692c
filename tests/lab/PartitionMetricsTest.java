package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The scrape: every gauge for every managed table, with the numbers the catalogs and the health summary give as of the
 * server's date, and the run gauges from the lock records. The text is parsed as Prometheus would read it. On the
 * embedded server, over lesson 06's tables ({@link LessonTables}).
 */
class PartitionMetricsTest extends LessonTables {
    private static final List<String> TABLE_GAUGES = List.of("partitionlab_partitions", "partitionlab_rows", "partitionlab_bytes",
            "partitionlab_default_rows", "partitionlab_months_ahead", "partitionlab_partitions_past_retention", "partitionlab_health");
    private static final List<String> RUN_GAUGES = List.of("partitionlab_last_success_age_seconds", "partitionlab_last_run_duration_seconds",
            "partitionlab_last_run_ok");
    private static final Map<String, Integer> CODES = Map.of("HEALTHY", 0, "CLEANUP_NEEDED", 1, "MISSING_FUTURE", 2, "DEFAULT_HAS_ROWS", 3,
            "NO_PARTITIONS", 4, "TABLE_MISSING", 5);
    private static final int ROWS_PER_MONTH = 20;
    private static final String SLOW = "audit.slow_query_log";

    @Override
    int rowsPerMonth() {
        return ROWS_PER_MONTH;
    }

    @Test
    void everyTableGaugeHasTheNumbersTheCatalogsGive() {
        var manager = PartitionManager.on(db);
        // three months of slow queries get their partitions (rows move in): past its 6 months' retention by now
        manager.create(SLOW, YearMonth.parse("2025-01"), YearMonth.parse("2025-03"));
        ManagedTables.seed(db, YearMonth.parse("2099-06"), YearMonth.parse("2099-06"), 5); // 5 more rows in each DEFAULT
        manager.analyze(null, false, Progress.Mode.OFF); // row estimates settled, so that autovacuum leaves them be

        String text = PartitionMetrics.scrape(db);
        var scraped = Scrape.parse(text);
        Table health = manager.health(null);
        assertEquals(ManagedTables.TABLES, health.stringColumn("parent_table").asList());
        for (String gauge : TABLE_GAUGES) {
            assertEquals(ManagedTables.TABLES, List.copyOf(scraped.of(gauge).keySet()), gauge + " for every managed table:\n" + text);
            assertTrue(text.contains("# TYPE " + gauge + " gauge\n"), text);
        }
        for (int i = 0; i < health.rowCount(); i++) {
            String table = health.getString(i, "parent_table");
            assertEquals(((Number) health.get(i, health.columnIndex("partitions"))).doubleValue(), scraped.value("partitionlab_partitions", table), table);
            assertEquals(((Number) health.get(i, health.columnIndex("row_estimate"))).doubleValue(), scraped.value("partitionlab_rows", table), table);
            double bytes = ((Number) health.get(i, health.columnIndex("total_bytes"))).doubleValue();
            assertEquals(bytes, scraped.value("partitionlab_bytes", table), 64 * 1024, table + ": the size (a free space map may come meanwhile)");
            assertEquals(((Number) health.get(i, health.columnIndex("default_rows"))).doubleValue(), scraped.value("partitionlab_default_rows", table), table);
            assertEquals(((Number) health.get(i, health.columnIndex("pending_cleanup"))).doubleValue(),
                    scraped.value("partitionlab_partitions_past_retention", table), table);
            assertEquals(CODES.get(health.getString(i, "status")).doubleValue(), scraped.value("partitionlab_health", table), table);
        }
        // the numbers themselves, as the fixtures made them
        assertEquals(3.0, scraped.value("partitionlab_partitions", SLOW));
        assertEquals(2.0, scraped.value("partitionlab_partitions_past_retention", SLOW), "all three but the newest, which retention keeps");
        assertEquals(6.0 * ROWS_PER_MONTH + 5, scraped.value("partitionlab_default_rows", SLOW), "April to September, and the 5 of 2099");
        assertEquals(5.0, scraped.value("partitionlab_default_rows", "app.events"), "app.events has its 2025 months: only 2099's rows wait");
        assertEquals(9.0 * ROWS_PER_MONTH + 5, scraped.value("partitionlab_rows", "app.events"));
        assertEquals(0.0, scraped.value("partitionlab_partitions", "audit.audit_logs"));
        assertEquals(4.0, scraped.value("partitionlab_health", "audit.audit_logs"), "NO_PARTITIONS");
        assertEquals(0.0, scraped.value("partitionlab_months_ahead", SLOW), "nothing after this month");
        assertTrue(text.contains("# HELP partitionlab_rows ") && text.lines().anyMatch(l -> l.startsWith("# HELP partitionlab_rows") && l.contains("estimate")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("# HELP partitionlab_health") && l.contains("0 HEALTHY") && l.contains("5 TABLE_MISSING")), text);
        // no run yet: no run numbers, and nothing faked
        for (String gauge : RUN_GAUGES) assertEquals(Map.of(), scraped.of(gauge), gauge + "\n" + text);
        assertFalse(text.contains("NaN"), text);
    }

    @Test
    void runGaugesComeFromTheLockRecordsAndARunOverEveryTableCountsForEach() throws Exception {
        var ran = Maintained.run("run", "--apply");
        assertTrue(ran.linesWith("error") == 0, ran::toString);
        RunRecord run = PartitionManager.on(db).lastRun(null).orElseThrow();
        var scraped = Scrape.parse(PartitionMetrics.scrape(db));
        for (String table : ManagedTables.TABLES) {
            assertEquals(1.0, scraped.value("partitionlab_last_run_ok", table), table);
            assertEquals(run.duration().toNanos() / 1e9, scraped.value("partitionlab_last_run_duration_seconds", table), 1e-3, table);
            double age = scraped.value("partitionlab_last_success_age_seconds", table);
            assertTrue(age >= 0 && age < 120, table + ": " + age);
        }
        // the run created this month and three (six) ahead: each table's configured months ahead
        Table config = PartitionManager.on(db).config(null);
        for (int i = 0; i < config.rowCount(); i++) {
            assertEquals(config.intColumn("premake_months").get(i).doubleValue(),
                    scraped.value("partitionlab_months_ahead", config.getString(i, "parent_table")), config.getString(i, "parent_table"));
        }

        // a run for one table that fails: that table's last run is 0, the others keep the run over every table
        Maintained gaveUp;
        try (var reader = Locks.holdAccessShare(db, SLOW, Duration.ofSeconds(4))) {
            gaveUp = Maintained.run("create", "--table", "slow_query_log", "--from", "2025-08", "--to", "2025-08", "--lock-budget", "400ms");
        }
        assertEquals(1, gaveUp.exit(), gaveUp::toString);
        RunRecord failed = PartitionManager.on(db).lastRun(null).orElseThrow();
        assertEquals("failed", failed.result());
        scraped = Scrape.parse(PartitionMetrics.scrape(db));
        assertEquals(0.0, scraped.value("partitionlab_last_run_ok", SLOW));
        assertEquals(failed.duration().toNanos() / 1e9, scraped.value("partitionlab_last_run_duration_seconds", SLOW), 1e-3);
        assertTrue(scraped.of("partitionlab_last_success_age_seconds").containsKey(SLOW), "its last success is still the run before");
        assertEquals(1.0, scraped.value("partitionlab_last_run_ok", "audit.audit_logs"));
        assertEquals(run.duration().toNanos() / 1e9, scraped.value("partitionlab_last_run_duration_seconds", "audit.audit_logs"), 1e-3);
    }

    @Test
    void withoutTheManagerTheScrapeIsRefused() {
        try (var fresh = new FreshDatabase("metrics_not_installed")) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(BadInput.class, () -> PartitionMetrics.scrape(fresh.node()));
            assertTrue(refused.getMessage().contains("not installed"), refused.getMessage());
        }
    }

    /** The text exposition format as Prometheus reads it: name{table="..."} value, one sample a line. */
    record Scrape(Map<String, Map<String, Double>> samples) {
        private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{table=\"([^\"]*)\"} (\\S+)$");

        static Scrape parse(String text) {
            Map<String, Map<String, Double>> samples = new TreeMap<>();
            for (String line : text.lines().toList()) {
                if (line.startsWith("#") || line.isBlank()) continue;
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "a sample line: " + line);
                samples.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(m.group(2), Double.parseDouble(m.group(3)));
            }
            return new Scrape(samples);
        }

        Map<String, Double> of(String gauge) {
            return samples.getOrDefault(gauge, Map.of());
        }

        double value(String gauge, String table) {
            Double v = of(gauge).get(table);
            assertTrue(v != null, gauge + " for " + table + " in " + samples);
            return v;
        }
    }
}
