package lab;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The partition manager's numbers for dashboards, in the Prometheus text exposition format (0.0.4): one gauge per
 * number, one sample per managed table ({@code table="schema.name"}), from {@code sql/maintenance/commands/metrics.sql}
 * (the health summary, the partitions, the lock records). A number that does not exist, such as the age of a success
 * for a table that never had one, is left out rather than faked. Rendered by Prometheus' own writer
 * (io.prometheus:prometheus-metrics-exposition-textformats), so escaping and number formats are the format's.
 *
 * <pre>{@code
 * String text = PartitionMetrics.scrape(db);   // what GET /metrics serves
 * }</pre>
 */
public final class PartitionMetrics {
    /** The format the text is in, for a Content-Type header. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** Each gauge: its name, the column of metrics.sql it reads, and its HELP. */
    private record Gauge(String name, String column, String help) {}

    private static final List<Gauge> GAUGES = List.of(
            new Gauge("partitionlab_partitions", "partitions", "Partitions of the managed table, the DEFAULT not counted."),
            new Gauge("partitionlab_rows", "row_estimate", "Rows in the table: an estimate from the planner's statistics (pg_class.reltuples), not a count."),
            new Gauge("partitionlab_bytes", "total_bytes", "Size of every partition with its indexes and TOAST, in bytes."),
            new Gauge("partitionlab_default_rows", "default_rows", "Rows in the DEFAULT partition (counted): rows of months without their partition."),
            new Gauge("partitionlab_months_ahead", "months_ahead", "Months after the current one (UTC) that have their partition, up to the first missing one."),
            new Gauge("partitionlab_partitions_past_retention", "partitions_past_retention", "Partitions past the configured retention, waiting for retention to retire them."),
            new Gauge("partitionlab_health", "health", "Health as a number: 0 HEALTHY, 1 CLEANUP_NEEDED, 2 MISSING_FUTURE, 3 DEFAULT_HAS_ROWS, 4 NO_PARTITIONS, 5 TABLE_MISSING."),
            new Gauge("partitionlab_last_success_age_seconds", "last_success_age_seconds", "Seconds since the last successful maintenance run for the table finished (a run over every table counts)."),
            new Gauge("partitionlab_last_run_duration_seconds", "last_run_duration_seconds", "Duration of the last finished maintenance run for the table, in seconds."),
            new Gauge("partitionlab_last_run_ok", "last_run_ok", "Result of the last maintenance run for the table: 1 ok, 0 failed or interrupted."));

    private PartitionMetrics() {}

    /** Every gauge for every managed table of the node, as Prometheus scrapes it. Needs the manager installed. */
    public static String scrape(Node node) {
        Table rows;
        try {
            rows = node.run("maintenance/commands/metrics.sql").lastTable();
        } catch (LabSqlException e) {
            // 3F000, invalid_schema_name: no schema maintenance, no manager
            if ("3F000".equals(e.sqlState())) throw PartitionManager.notInstalled(node);
            throw e;
        }
        return render(rows);
    }

    static String render(Table rows) {
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> snapshots = new ArrayList<>();
        for (Gauge gauge : GAUGES) {
            var builder = GaugeSnapshot.builder().name(gauge.name()).help(gauge.help());
            var column = rows.column(gauge.column());
            for (int i = 0; i < rows.rowCount(); i++) {
                if (column.isMissing(i)) continue;
                builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("table", rows.getString(i, "parent_table")))
                        .value(((Number) column.get(i)).doubleValue())
                        .build());
            }
            snapshots.add(builder.build());
        }
        var out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(snapshots));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
