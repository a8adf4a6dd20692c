package lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * A managed table's months as a picture (lesson 06), drawn from the live catalogs as of the manager's day: one box per
 * monthly partition on a time axis with its exact rows, a hole where a month has no partition, the DEFAULT beside them,
 * today's line and the months ahead of it, and the retention cut with the partitions retention would take before it
 * (the manager's own dry run says which). {@code partitionsDrawn} are the partitions drawn, the DEFAULT last, for the
 * claim that they are the catalog's.
 */
public record MonthTimeline(String table, LocalDate today, LocalDate retentionCutoff, List<String> partitionsDrawn,
                            List<String> ahead, List<String> pastRetention, List<YearMonth> gaps, long defaultRows,
                            BufferedImage image) {
    private static final Color KEPT = new Color(120, 160, 215);
    private static final Color THIS_MONTH = new Color(240, 170, 60);
    private static final Color AHEAD = new Color(140, 200, 140);
    private static final Color PAST = new Color(225, 110, 110);
    private static final Color DEFAULT = new Color(175, 175, 175);

    /** Reads the table's partitions, configuration and retention dry run as of the manager's day, and draws them. */
    public static MonthTimeline of(PartitionManager manager, String table) {
        LocalDate today = manager.today();
        Table partitions = manager.node().run("06-maintenance/q_month_timeline.sql",
                Map.of("lab.table", table, "lab.today", today.toString())).lastTable();
        Table retention = manager.retention(table, false, null);
        List<String> wouldGo = new ArrayList<>();
        String mode = "retention";
        for (int i = 0; i < retention.rowCount(); i++) {
            String action = retention.getString(i, "action");
            if (action.startsWith("would ")) {
                wouldGo.add(retention.getString(i, "partition_name"));
                mode = action;
            }
        }
        return of(table, today, partitions, wouldGo, mode);
    }

    /** Draws a {@code q_month_timeline.sql} table; {@code wouldGo} are the partitions retention would take, by {@code mode}. */
    static MonthTimeline of(String table, LocalDate today, Table partitions, List<String> wouldGo, String mode) {
        Map<YearMonth, String> byMonth = new LinkedHashMap<>();
        Map<YearMonth, Long> rows = new LinkedHashMap<>();
        List<String> drawn = new ArrayList<>();
        String defaultName = null;
        long defaultRows = 0;
        LocalDate cutoff = null;
        for (int i = 0; i < partitions.rowCount(); i++) {
            cutoff = partitions.dateColumn("retention_cutoff").get(i);
            String name = partitions.getString(i, "partition_name");
            if (partitions.booleanColumn("is_default").get(i)) {
                defaultName = name;
                defaultRows = partitions.longColumn("rows").get(i);
            } else if (partitions.dateColumn("partition_month").get(i) != null) {
                YearMonth month = YearMonth.from(partitions.dateColumn("partition_month").get(i));
                byMonth.put(month, name);
                rows.put(month, partitions.longColumn("rows").get(i));
                drawn.add(name);
            }
        }
        if (defaultName != null) drawn.add(defaultName);
        YearMonth now = YearMonth.from(today);
        YearMonth first = byMonth.keySet().stream().min(YearMonth::compareTo).orElse(now);
        YearMonth last = byMonth.keySet().stream().max(YearMonth::compareTo).orElse(now);
        YearMonth start = min(first, now, cutoff == null ? null : YearMonth.from(cutoff));
        YearMonth end = last.isBefore(now) ? now : last;
        int months = (int) ChronoUnit.MONTHS.between(start, end) + 1;

        List<String> ahead = new ArrayList<>();
        List<YearMonth> gaps = new ArrayList<>();
        Set<String> past = new HashSet<>(wouldGo);
        XYChart chart = new XYChartBuilder().width(Math.max(900, 110 + 62 * (months + 2))).height(380)
                .title(table + " as of " + today + ": its months, the DEFAULT, the months ahead and the retention cut (from the catalogs)").build();
        style(chart, months);
        Set<String> inLegend = new HashSet<>();
        for (int i = 0; i < months; i++) {
            YearMonth month = start.plusMonths(i);
            chart.addAnnotation(new AnnotationText(month.toString(), i + 0.5, -0.12, false));
            String name = byMonth.get(month);
            if (name == null) {
                if (!month.isBefore(first) && !month.isAfter(last)) {
                    gaps.add(month);
                    chart.addAnnotation(new AnnotationText("gap", i + 0.5, 0.5, false));
                }
                continue;
            }
            String kind;
            Color color;
            if (past.contains(name)) {
                kind = "past retention: " + mode;
                color = PAST;
            } else if (month.equals(now)) {
                kind = "this month";
                color = THIS_MONTH;
            } else if (month.isAfter(now)) {
                kind = "ahead of today";
                color = AHEAD;
                ahead.add(name);
            } else {
                kind = "kept";
                color = KEPT;
            }
            box(chart, name, i + 0.06, i + 0.94, color, inLegend.add(kind) ? kind : null);
            chart.addAnnotation(new AnnotationText(count(rows.get(month)), i + 0.5, 0.5, false));
        }
        if (defaultName != null) {
            box(chart, defaultName, months + 0.4, months + 1.9, DEFAULT, "DEFAULT");
            chart.addAnnotation(new AnnotationText("DEFAULT", months + 1.15, 0.62, false));
            chart.addAnnotation(new AnnotationText(count(defaultRows) + (defaultRows == 1 ? " row" : " rows"), months + 1.15, 0.38, false));
        }
        double todayX = ChronoUnit.MONTHS.between(start, now) + (today.getDayOfMonth() - 1) / (double) today.lengthOfMonth();
        line(chart, "today", todayX, new Color(200, 120, 0));
        chart.addAnnotation(new AnnotationText("today " + today, todayX + 1.0, 1.34, false));
        if (cutoff != null) {
            double cutX = ChronoUnit.MONTHS.between(start, YearMonth.from(cutoff));
            line(chart, "retention cut", cutX, new Color(190, 40, 40));
            // the label right of its line, which it would otherwise cross
            chart.addAnnotation(new AnnotationText("retention cut " + cutoff, cutX + 1.25, 1.16, false));
        }
        List<String> wouldGoDrawn = drawn.stream().filter(past::contains).toList();
        return new MonthTimeline(table, today, cutoff, List.copyOf(drawn), List.copyOf(ahead), wouldGoDrawn, List.copyOf(gaps),
                defaultRows, BitmapEncoder.getBufferedImage(chart));
    }

    /** e.g. "audit.audit_logs as of 2026-04-15: 16 monthly partitions and the DEFAULT, 3 months ahead, 3 past retention, no gap". */
    public String verdict() {
        int monthly = partitionsDrawn.size() - (partitionsDrawn.isEmpty() || !partitionsDrawn.get(partitionsDrawn.size() - 1).endsWith("default") ? 0 : 1);
        return table + " as of " + today + ": " + monthly + " monthly partitions and the DEFAULT (" + defaultRows + " rows), "
                + ahead.size() + " months ahead, " + pastRetention.size() + " past the retention cut"
                + (retentionCutoff == null ? "" : " " + retentionCutoff) + ", " + (gaps.isEmpty() ? "no gap" : "gaps " + gaps);
    }

    private static YearMonth min(YearMonth a, YearMonth b, YearMonth c) {
        YearMonth m = a.isBefore(b) ? a : b;
        return c != null && c.isBefore(m) ? c : m;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void box(XYChart chart, String name, double x1, double x2, Color color, String legend) {
        XYSeries box = chart.addSeries(legend == null ? name : legend, new double[] {x1, x1, x2, x2}, new double[] {0, 1, 1, 0});
        box.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        box.setFillColor(color);
        box.setLineColor(color.darker());
        box.setMarker(SeriesMarkers.NONE);
        box.setShowInLegend(legend != null);
    }

    private static void line(XYChart chart, String name, double x, Color color) {
        XYSeries line = chart.addSeries(name, new double[] {x, x}, new double[] {-0.05, 1.25});
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setLineColor(color);
        line.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
        line.setMarker(SeriesMarkers.NONE);
        line.setShowInLegend(false);
    }

    private static void style(XYChart chart, int months) {
        var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setAxisTicksVisible(false);
        styler.setPlotGridLinesVisible(false);
        styler.setPlotBorderVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAnnotationTextFontColor(Color.BLACK);
        styler.setXAxisMin(-0.2);
        styler.setXAxisMax(months + 2.1);
        styler.setYAxisMin(-0.3);
        styler.setYAxisMax(1.45);
    }
}
