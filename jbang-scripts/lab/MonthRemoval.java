package lab;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.Table;

/**
 * One month removed two ways (lesson 06, section 11), each timed and measured by the server: {@code DELETE} from the
 * plain copy {@code audit.audit_logs_plain} ({@code 05_delete_month_plain.sql}) and {@code DROP TABLE} of the month's
 * partition of {@code audit.audit_logs} ({@code 06_drop_month_partition.sql}), one line each with the same columns:
 * rows removed and left, duration, heap and total size before and after, dead rows left.
 */
public record MonthRemoval(String month, Table deleted, Table dropped) {

    /** Removes the month (YYYY-MM) both ways and reads what each left. */
    public static MonthRemoval of(Node db, String month) {
        Map<String, String> settings = Map.of("lab.month", month);
        Table deleted = db.run("06-maintenance/05_delete_month_plain.sql", settings).lastTable();
        Table dropped = db.run("06-maintenance/06_drop_month_partition.sql", settings).lastTable();
        return new MonthRemoval(month, deleted, dropped);
    }

    /** A number of the DELETE's line: rows_removed, rows_left, heap_bytes_before, heap_bytes_after, dead_rows, ... */
    public long deleted(String column) {
        return Tables.number(deleted, column, 0);
    }

    /** The same number of the DROP TABLE's line. */
    public long dropped(String column) {
        return Tables.number(dropped, column, 0);
    }

    /** The rows each way removed: DELETE first. */
    public List<Long> rowsRemoved() {
        return List.of(deleted("rows_removed"), dropped("rows_removed"));
    }

    /** What DROP TABLE gave back at once: the partitioned table's size (with indexes) before less after. */
    public long bytesFreedByDrop() {
        return dropped("total_bytes_before") - dropped("total_bytes_after");
    }

    /** Both lines in one table. */
    public Table comparison() {
        return deleted.copy().append(dropped).setName(month + " removed: DELETE from the plain table, DROP TABLE of the partition");
    }

    /** The durations measured, as a sentence (not a claim: they depend on the machine). */
    public String timing(Scale scale) {
        double deleteMs = deleted.numberColumn("duration_ms").getDouble(0);
        double dropMs = dropped.numberColumn("duration_ms").getDouble(0);
        return String.format(Locale.ROOT, "measured at scale %s, %d rows: DELETE %.2f ms, DROP TABLE %.2f ms, so DELETE took %.1f times as long as DROP",
                scale, deleted("rows_removed"), deleteMs, dropMs, deleteMs / dropMs);
    }

    /** The heap sizes before and after, both ways, as a bar chart; the dead rows each left in its legend. */
    public Chart chart() {
        Map<String, List<Long>> bytes = new LinkedHashMap<>();
        bytes.put("plain table: DELETE, " + String.format(Locale.ROOT, "%,d", deleted("dead_rows")) + " dead rows left",
                List.of(deleted("heap_bytes_before"), deleted("heap_bytes_after")));
        bytes.put("partitioned table: DROP TABLE of the partition, " + String.format(Locale.ROOT, "%,d", dropped("dead_rows")) + " dead rows left",
                List.of(dropped("heap_bytes_before"), dropped("heap_bytes_after")));
        long largest = bytes.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
        boolean mb = largest >= 10L << 20;
        double unit = mb ? 1 << 20 : 1 << 10;
        CategoryChart chart = new CategoryChartBuilder().width(900).height(420)
                .title("heap size before and after removing " + month + " (measured by the server)")
                .yAxisTitle(mb ? "heap (MB)" : "heap (kB)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setSeriesColors(new Color[] {new Color(225, 110, 110), new Color(120, 160, 215)});
        List<String> when = List.of("before", "after removing " + month);
        bytes.forEach((series, values) -> chart.addSeries(series, when, values.stream().map(v -> (Number) (Math.round(v / unit * 10) / 10.0)).toList()));
        return new Chart(Map.copyOf(bytes), BitmapEncoder.getBufferedImage(chart));
    }

    /** {@code bytesDrawn}: each bar pair's heap bytes, before and after, by series. */
    public record Chart(Map<String, List<Long>> bytesDrawn, BufferedImage image) {
        /** The bars of one way ("plain" or "partitioned"), before and after. */
        public List<Long> drawnFor(String way) {
            return bytesDrawn.entrySet().stream().filter(e -> e.getKey().startsWith(way)).findFirst().orElseThrow().getValue();
        }
    }

}
