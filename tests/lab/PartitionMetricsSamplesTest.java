package lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What a lesson reads back from {@code GET /metrics}: the samples of the gauges it asks for, per table, from the text
 * Prometheus' own writer made; and the health numbers, which must be metrics.sql's.
 */
class PartitionMetricsSamplesTest {
    /** Rows as metrics.sql returns them: a table with a run, a table without (its run gauges left out). */
    private static Table rows() {
        return Table.create("metrics",
                StringColumn.create("parent_table", "audit.audit_logs", "app.\"odd\\name"),
                IntColumn.create("partitions", 15, 0),
                DoubleColumn.create("row_estimate", 1200, 0),
                LongColumn.create("total_bytes", 819200L, 8192L),
                LongColumn.create("default_rows", 0L, 7L),
                IntColumn.create("months_ahead", 3, 0),
                IntColumn.create("partitions_past_retention", 2, 0),
                IntColumn.create("health", 1, 4),
                StringColumn.create("status", "CLEANUP_NEEDED", "NO_PARTITIONS"),
                DoubleColumn.create("last_success_age_seconds", new double[] {12.5, Double.NaN}),
                DoubleColumn.create("last_run_duration_seconds", new double[] {0.25, Double.NaN}),
                IntColumn.create("last_run_ok", new int[] {1, 0}));
    }

    @Test
    void samplesAreReadBackPerTableWholeNumbersAsLongs() {
        Table rows = rows();
        rows.intColumn("last_run_ok").setMissing(1);
        String text = PartitionMetrics.render(rows);
        Table samples = PartitionMetrics.samples(text, "partitionlab_partitions", "partitionlab_health",
                "partitionlab_last_success_age_seconds", "partitionlab_last_run_ok");
        assertEquals(List.of("parent_table", "partitionlab_partitions", "partitionlab_health", "partitionlab_last_success_age_seconds",
                "partitionlab_last_run_ok"), samples.columnNames());
        assertEquals(List.of("app.\"odd\\name", "audit.audit_logs"), samples.stringColumn("parent_table").asList(),
                "one row per table label, sorted, escapes undone");
        assertEquals(List.of(0L, 15L), samples.longColumn("partitionlab_partitions").asList());
        assertEquals(List.of(4L, 1L), samples.longColumn("partitionlab_health").asList());
        DoubleColumn age = samples.doubleColumn("partitionlab_last_success_age_seconds");
        assertTrue(age.isMissing(0), "a gauge left out for a table is a missing value, not 0");
        assertEquals(12.5, age.get(1));
        assertTrue(samples.longColumn("partitionlab_last_run_ok").isMissing(0));
        assertEquals(1L, samples.longColumn("partitionlab_last_run_ok").get(1));
    }

    @Test
    void aGaugeNotAskedForOrNotThereIsNoColumnOfValues() {
        Table samples = PartitionMetrics.samples(PartitionMetrics.render(rows()), "partitionlab_bytes", "partitionlab_nothing");
        assertEquals(List.of(8192L, 819200L), samples.longColumn("partitionlab_bytes").asList());
        assertEquals(2, samples.longColumn("partitionlab_nothing").countMissing());
        assertEquals(0, PartitionMetrics.samples("# HELP x y\n# TYPE x gauge\n", "x").rowCount());
    }

    @Test
    void healthCodesAreThoseOfMetricsSqlAndTheHelpText() {
        String sql = ProjectFile.read("sql/maintenance/commands/metrics.sql");
        String help = PartitionMetrics.render(rows()).lines().filter(l -> l.startsWith("# HELP partitionlab_health ")).findFirst().orElseThrow();
        for (String status : PartitionMetrics.HEALTH_STATUSES) {
            int code = PartitionMetrics.healthCode(status);
            assertTrue(sql.contains("WHEN '" + status + "' THEN " + code), status + " is " + code + " in metrics.sql");
            assertTrue(help.contains(code + " " + status), status + " is " + code + " in the HELP: " + help);
        }
        assertThrows(IllegalArgumentException.class, () -> PartitionMetrics.healthCode("FINE"));
    }
}
