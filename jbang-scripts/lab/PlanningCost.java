package lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What the planner pays for partitions, measured on this server in one run: tables RANGE-partitioned by day with
 * 12, 365, 3,650 (or any) empty partitions ({@code sql/11-indexes/14_planning_table.sql}), two questions of each (one
 * day, pruned to one partition; the whole table), and for each the planning time of EXPLAIN (SUMMARY), the median of
 * several, and from PostgreSQL 17 the planner's memory (EXPLAIN's MEMORY option). Times are reported as ratios to the
 * smallest table, never asserted; what a lesson claims is the plans' structure (partitions in each plan).
 */
public record PlanningCost(List<Size> sizes, boolean memoryMeasured, BufferedImage image) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String ONE_DAY = "11-indexes/q_planning_one_day.sql";
    public static final String WHOLE_TABLE = "11-indexes/q_planning_whole_table.sql";

    /** One table's measures: partitions in each plan, median planning ms, planner memory in kB (-1 if not measured). */
    public record Size(int partitions, String table, int oneDayInPlan, int wholeInPlan, double oneDayMs, double wholeMs,
                       long oneDayKb, long wholeKb) {}

    /**
     * The sizes a lesson measures at a scale: 12, 365 and 3,650 partitions (a year of months, a year of days, ten years
     * of days); at {@code ci} 1,000 stands in for 3,650, whose creation alone takes 10 to 25 seconds on a busy machine.
     */
    public static List<Integer> sizes(Scale scale) {
        return scale == Scale.ci ? List.of(12, 365, 1_000) : List.of(12, 365, 3_650);
    }

    /** The table of {@code partitions} daily partitions, named app.planning_N; kept if it already has exactly that many. */
    public static String table(Node node, int partitions) {
        String name = "planning_" + partitions;
        node.run("11-indexes/14_planning_table.sql", Map.of("lab.planning_table", name, "lab.partitions", String.valueOf(partitions)));
        return name;
    }

    /** Creates (or keeps) each table, then measures each question {@code repeats} times after one warm-up. */
    public static PlanningCost measure(Node node, List<Integer> partitionCounts, int repeats) {
        boolean memory = MajorFeature.EXPLAIN_MEMORY.on(node);
        List<Size> sizes = new ArrayList<>();
        for (int n : partitionCounts) {
            String table = table(node, n);
            Measured oneDay = measured(node, ONE_DAY, table, memory, repeats);
            Measured whole = measured(node, WHOLE_TABLE, table, memory, repeats);
            sizes.add(new Size(n, "app." + table, oneDay.inPlan, whole.inPlan, oneDay.ms, whole.ms, oneDay.kb, whole.kb));
        }
        return new PlanningCost(List.copyOf(sizes), memory, chart(sizes, memory));
    }

    /** Drops the tables measured (their thousands of partitions weigh on every catalog scan of the database). */
    public void dropTables(Node node) {
        for (Size s : sizes) node.run("11-indexes/15_drop_planning_table.sql", Map.of("lab.planning_table", s.table().substring(4)));
    }

    private record Measured(int inPlan, double ms, long kb) {}

    private static Measured measured(Node node, String file, String table, boolean memory, int repeats) {
        String query = Sql.file(file).withVariables(Map.of("table", table)).statements().get(0);
        String explain = "EXPLAIN (SUMMARY, " + (memory ? "MEMORY, " : "") + "FORMAT JSON) " + query;
        double[] ms = new double[repeats];
        long kb = -1;
        int inPlan = 0;
        try (Connection c = node.connection(); Statement s = c.createStatement()) {
            for (int i = -1; i < repeats; i++) { // i = -1: the warm-up, which also loads the partitions' catalog entries
                try (ResultSet rs = s.executeQuery(explain)) {
                    rs.next();
                    JsonNode explained = JSON.readTree(rs.getString(1)).get(0);
                    if (i < 0) continue;
                    ms[i] = explained.path("Planning Time").asDouble();
                    kb = explained.path("Planning").path("Memory Used").asLong(-1);
                    inPlan = relations(explained.get("Plan"));
                }
            }
        } catch (SQLException e) {
            throw new LabSqlException(node.name(), explain, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable EXPLAIN output: " + e.getMessage(), e);
        }
        Arrays.sort(ms);
        return new Measured(inPlan, ms[repeats / 2], kb);
    }

    private static int relations(JsonNode plan) {
        int n = plan.has("Relation Name") ? 1 : 0;
        for (JsonNode child : plan.path("Plans")) n += relations(child);
        return n;
    }

    /** The first size's table is the yardstick: each measure divided by its own there. */
    public double ratio(int partitions, boolean wholeTable, boolean memoryNotTime) {
        Size base = sizes.get(0);
        Size s = sizes.stream().filter(x -> x.partitions() == partitions).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table of " + partitions + " partitions was measured"));
        if (memoryNotTime) {
            return wholeTable ? (double) s.wholeKb() / Math.max(1, base.wholeKb()) : (double) s.oneDayKb() / Math.max(1, base.oneDayKb());
        }
        return wholeTable ? s.wholeMs() / Math.max(0.001, base.wholeMs()) : s.oneDayMs() / Math.max(0.001, base.oneDayMs());
    }

    /** Every plan held what it should: one partition for one day, all of them for the whole table. */
    public boolean plansAsExpected() {
        return sizes.stream().allMatch(s -> s.oneDayInPlan() == 1 && s.wholeInPlan() == s.partitions());
    }

    /** The planner's memory for the whole table grew with the partitions (measured only from PostgreSQL 17). */
    public boolean memoryGrowsWithPartitions() {
        for (int i = 1; i < sizes.size(); i++) if (sizes.get(i).wholeKb() <= sizes.get(i - 1).wholeKb()) return false;
        return memoryMeasured && sizes.size() > 1;
    }

    /** The measures, and each as a multiple of the smallest table's. */
    public Table table() {
        IntColumn partitions = IntColumn.create("partitions");
        IntColumn oneDayIn = IntColumn.create("one day: in plan");
        DoubleColumn oneDayMs = DoubleColumn.create("one day: planning ms");
        DoubleColumn oneDayX = DoubleColumn.create("one day: x time");
        IntColumn wholeIn = IntColumn.create("whole: in plan");
        DoubleColumn wholeMs = DoubleColumn.create("whole: planning ms");
        DoubleColumn wholeX = DoubleColumn.create("whole: x time");
        Table t = Table.create("planning, measured on this server (x: a multiple of the " + sizes.get(0).partitions() + "-partition table's)");
        t.addColumns(partitions, oneDayIn, oneDayMs, oneDayX, wholeIn, wholeMs, wholeX);
        DoubleColumn oneDayKb = DoubleColumn.create("one day: planner kB");
        DoubleColumn wholeKb = DoubleColumn.create("whole: planner kB");
        DoubleColumn wholeKbX = DoubleColumn.create("whole: x memory");
        if (memoryMeasured) t.addColumns(oneDayKb, wholeKb, wholeKbX);
        for (Size s : sizes) {
            partitions.append(s.partitions());
            oneDayIn.append(s.oneDayInPlan());
            oneDayMs.append(round(s.oneDayMs(), 3));
            oneDayX.append(round(ratio(s.partitions(), false, false), 1));
            wholeIn.append(s.wholeInPlan());
            wholeMs.append(round(s.wholeMs(), 3));
            wholeX.append(round(ratio(s.partitions(), true, false), 1));
            if (memoryMeasured) {
                oneDayKb.append(s.oneDayKb());
                wholeKb.append(s.wholeKb());
                wholeKbX.append(round(ratio(s.partitions(), true, true), 1));
            }
        }
        return t;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static BufferedImage chart(List<Size> sizes, boolean memory) {
        Size base = sizes.get(0);
        List<Double> x = sizes.stream().map(s -> (double) s.partitions()).toList();
        XYChart chart = new XYChartBuilder().width(900).height(440)
                .title("Planning as a multiple of the " + base.partitions() + "-partition table's, measured on this server")
                .xAxisTitle("partitions (log scale)").yAxisTitle("x the " + base.partitions() + "-partition table (log scale)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(9);
        // a log axis takes only positive values: a time below 1 microsecond's resolution is drawn at 0.01
        chart.addSeries("time, one day (pruned)", x, sizes.stream().map(s -> Math.max(0.01, s.oneDayMs() / Math.max(0.001, base.oneDayMs()))).toList());
        chart.addSeries("time, whole table", x, sizes.stream().map(s -> Math.max(0.01, s.wholeMs() / Math.max(0.001, base.wholeMs()))).toList());
        if (memory) {
            chart.addSeries("memory, one day (pruned)", x, sizes.stream().map(s -> Math.max(0.01, (double) s.oneDayKb() / Math.max(1, base.oneDayKb()))).toList());
            chart.addSeries("memory, whole table", x, sizes.stream().map(s -> Math.max(0.01, (double) s.wholeKb() / Math.max(1, base.wholeKb()))).toList());
        }
        return BitmapEncoder.getBufferedImage(chart);
    }
}
