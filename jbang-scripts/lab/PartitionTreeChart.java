package lab;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * A partitioned table's tree as a picture, drawn from the catalogs ({@link Partitions#tree}): one label per member
 * (the table, every partition at every level), a line from each partition to its parent, levels left to right,
 * leaves top to bottom in bound order. {@code drawn} counts the labels actually drawn, so a lesson can hold it to
 * the catalog.
 */
public record PartitionTreeChart(String table, int drawn, int levels, BufferedImage image) {
    private static final double LEVEL_STEP = 10;   // x distance between levels, in data units
    private static final double LABEL_HALF = 4.6;  // room for half of the widest label, in data units
    private static final double PLOT_PX = 1040;    // the plot's width in pixels, about (chart width less margins)
    private static final double CHAR_PX = 7.2;     // a character of the 13 pt label font, about

    /** Reads the tree from the catalogs of {@code node} and draws it. */
    public static PartitionTreeChart of(Node node, String table) {
        return of(table, Partitions.tree(node, table));
    }

    /** Draws a tree as {@link Partitions#tree} returns it (depth first, a parent before its partitions). */
    public static PartitionTreeChart of(String table, Table tree) {
        int rows = tree.rowCount();
        double[] y = new double[rows];
        Map<String, Integer> rowOf = new HashMap<>();
        int maxLevel = 0;
        int leafSlot = 0;
        for (int r = 0; r < rows; r++) {
            rowOf.put(tree.getString(r, "partition"), r);
            maxLevel = Math.max(maxLevel, tree.intColumn("level").get(r));
            if (tree.booleanColumn("is_leaf").get(r)) y[r] = -(leafSlot++);
        }
        // a partitioned member sits at the middle of its partitions: children come after their parent, so go backwards
        double[] sum = new double[rows];
        int[] children = new int[rows];
        for (int r = rows - 1; r >= 0; r--) {
            if (!tree.booleanColumn("is_leaf").get(r)) y[r] = children[r] == 0 ? -(leafSlot++) : sum[r] / children[r];
            Integer parent = rowOf.get(tree.getString(r, "parent"));
            if (parent != null) {
                sum[parent] += y[r];
                children[parent]++;
            }
        }
        int height = Math.max(260, 60 + 34 * Math.max(leafSlot, 1));
        XYChart chart = new XYChartBuilder().width(1100).height(height).title("The partition tree of " + table + ", from the catalogs").build();
        style(chart, maxLevel, leafSlot);
        int drawn = 0;
        for (int r = 0; r < rows; r++) {
            double x = LEVEL_STEP * tree.intColumn("level").get(r);
            Integer parent = rowOf.get(tree.getString(r, "parent"));
            if (parent != null) {
                // from the right end of the parent's label to the left end of this one (labels are centred on x)
                edge(chart, "edge " + r, x - LEVEL_STEP + halfWidth(label(tree, parent), maxLevel), y[parent],
                        x - halfWidth(label(tree, r), maxLevel), y[r]);
            }
            chart.addAnnotation(new AnnotationText(label(tree, r), x, y[r], false));
            drawn++;
        }
        return new PartitionTreeChart(table, drawn, maxLevel + 1, BitmapEncoder.getBufferedImage(chart));
    }

    /** e.g. "the tree of app.sales_data: 9 members on 3 levels, drawn from the catalogs". */
    public String verdict() {
        return "the tree of " + table + ": " + drawn + " members on " + levels + " levels, drawn from the catalogs";
    }

    /** Half a label's width in data units, plus a small gap, so that an edge stops short of the text. */
    private static double halfWidth(String label, int maxLevel) {
        double pxPerUnit = PLOT_PX / (LEVEL_STEP * maxLevel + 2 * LABEL_HALF + 1);
        return (label.length() * CHAR_PX / 2 + 8) / pxPerUnit;
    }

    private static String label(Table tree, int r) {
        String name = tree.getString(r, "partition");
        String shortName = name.substring(name.indexOf('.') + 1);
        if (!tree.booleanColumn("is_leaf").get(r)) return shortName + "  " + tree.getString(r, "partition_key");
        String bound = tree.getString(r, "bound");
        return shortName + (bound.equals("DEFAULT") ? "  DEFAULT" : "") + "  " + rows(tree.longColumn("row_count").get(r));
    }

    private static String rows(long n) {
        return String.format("%,d %s", n, n == 1 ? "row" : "rows");
    }

    private static void edge(XYChart chart, String name, double x1, double y1, double x2, double y2) {
        XYSeries line = chart.addSeries(name, new double[] {x1, x2}, new double[] {y1, y2});
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.GRAY);
        line.setLineStyle(SeriesLines.SOLID);  // XChart would cycle styles, dotting every thirteenth edge
    }

    private static void style(XYChart chart, int maxLevel, int leaves) {
        var styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setAxisTicksVisible(false);
        styler.setPlotGridLinesVisible(false);
        styler.setPlotBorderVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAnnotationTextFontColor(Color.BLACK);
        styler.setXAxisMin(-LABEL_HALF - 0.5);
        styler.setXAxisMax(LEVEL_STEP * maxLevel + LABEL_HALF + 0.5);
        styler.setYAxisMin(-(Math.max(leaves, 1) - 0.5));
        styler.setYAxisMax(0.5);
    }
}
