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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
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

    /** The statuses of {@code partitionlab_health}, each at the index that is its number (metrics.sql's CASE). */
    public static final List<String> HEALTH_STATUSES = List.of("HEALTHY", "CLEANUP_NEEDED", "MISSING_FUTURE", "DEFAULT_HAS_ROWS",
            "NO_PARTITIONS", "TABLE_MISSING");

    /** One sample line of the text format: {@code name{table="schema.name"} value}. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{table=\"((?:[^\"\\\\]|\\\\.)*)\"\\} (\\S+)");

    private PartitionMetrics() {}

    /** A health status as {@code partitionlab_health} gives it: 0 HEALTHY ... 5 TABLE_MISSING. */
    /** Each table's health status (a {@link PartitionManager#health} table) as the number the gauge carries, by table. */
    public static java.util.SortedMap<String, Object> healthCodes(Table health) {
        java.util.SortedMap<String, Object> codes = new java.util.TreeMap<>();
        ManagedTables.byTable(health, "status").forEach((table, status) -> codes.put(table, (long) healthCode((String) status)));
        return codes;
    }

    public static int healthCode(String status) {
        int code = HEALTH_STATUSES.indexOf(status);
        if (code < 0) throw new IllegalArgumentException("no such health status: " + status + " (known: " + HEALTH_STATUSES + ")");
        return code;
    }

    /**
     * The samples of these gauges in a scrape ({@link #scrape}'s text, or what {@code GET /metrics} answered), as a
     * table: {@code parent_table} (the {@code table} label), then one column per gauge in the order asked, long when
     * every value is whole, else double; a table without a sample of a gauge has a missing value there.
     */
    public static Table samples(String text, String... gauges) {
        Map<String, Map<String, Double>> byTable = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !sample.matches() || !List.of(gauges).contains(sample.group(1))) continue;
            byTable.computeIfAbsent(unescape(sample.group(2)), t -> new LinkedHashMap<>())
                    .put(sample.group(1), Double.parseDouble(sample.group(3).replace("Inf", "Infinity")));
        }
        Table samples = Table.create("metrics", StringColumn.create("parent_table", byTable.keySet()));
        for (String gauge : gauges) {
            List<Double> values = byTable.values().stream().map(v -> v.get(gauge)).toList();
            boolean whole = values.stream().allMatch(v -> v == null || (v % 1 == 0 && Math.abs(v) < 1e15));
            if (whole) {
                LongColumn column = LongColumn.create(gauge);
                values.forEach(v -> { if (v == null) column.appendMissing(); else column.append(v.longValue()); });
                samples.addColumns(column);
            } else {
                DoubleColumn column = DoubleColumn.create(gauge);
                values.forEach(v -> { if (v == null) column.appendMissing(); else column.append(v); });
                samples.addColumns(column);
            }
        }
        return samples;
    }

    /** A label value as the format escapes it: backslash, double quote and line feed. */
    private static String unescape(String label) {
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '\\' && i + 1 < label.length()) {
                char next = label.charAt(++i);
                plain.append(next == 'n' ? '\n' : next);
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    /** Every gauge for every managed table of the node, as Prometheus scrapes it. Needs the manager installed. */
    public static String scrape(Node node) {
        Table rows;
        try {
            rows = node.runReading("maintenance/commands/metrics.sql", java.util.Map.of()).lastTable(); // partitions may come and go meanwhile
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
