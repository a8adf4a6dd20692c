package lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tech.tablesaw.api.Table;

/**
 * The sharded layout as a picture (lesson 07): the coordinator's partitioned table on top, a line to each shard, and
 * below it the rows each shard holds as bars. Drawn from the live catalogs ({@link Sharding#distribution()}: the
 * foreign partitions, their foreign servers and bounds, each shard's own count), so the picture is true for the run.
 * {@link #rowsDrawn()} are the counts the bars show, for the claim that they are the shards' own.
 */
public record ShardPicture(Map<String, Long> rowsDrawn, Map<String, String> boundOf, BufferedImage image) {
    private static final int WIDTH = 900;
    private static final int HEADER = 170;
    private static final int CHART_HEIGHT = 380;

    /** Reads the distribution now and draws it. */
    public static ShardPicture of(Sharding sharding) {
        return of(sharding.distribution());
    }

    /** Draws a {@link Sharding#distribution()} table: one bar per shard, its partition and bound under it. */
    public static ShardPicture of(Table distribution) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> bounds = new LinkedHashMap<>();
        for (int i = 0; i < distribution.rowCount(); i++) {
            String shard = distribution.getString(i, "shard");
            rows.put(shard, Tables.number(distribution, "rows_on_shard", i));
            bounds.put(shard, distribution.getString(i, "partition") + " " + distribution.getString(i, "bound").replace("FOR VALUES WITH ", ""));
        }
        long total = rows.values().stream().mapToLong(Long::longValue).sum();

        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(CHART_HEIGHT)
                .title("rows per shard (counted on each shard)").yAxisTitle("rows").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setAvailableSpaceFill(0.5);
        List<String> labels = List.copyOf(rows.keySet());
        chart.addSeries("rows", labels, rows.values().stream().map(v -> (Number) v).toList());
        BufferedImage bars = BitmapEncoder.getBufferedImage(chart);

        BufferedImage image = new BufferedImage(WIDTH, HEADER + CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEADER);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            String top = "coordinator: " + Sharding.TABLE + ", PARTITION BY HASH (tenant_id), " + String.format(java.util.Locale.ROOT, "%,d", total) + " rows";
            int boxWidth = g.getFontMetrics().stringWidth(top) + 30;
            int boxX = (WIDTH - boxWidth) / 2;
            g.setColor(new Color(230, 238, 250));
            g.fillRoundRect(boxX, 12, boxWidth, 40, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawRoundRect(boxX, 12, boxWidth, 40, 12, 12);
            g.drawString(top, boxX + 15, 37);
            g.setStroke(new BasicStroke(2f));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int n = rows.size();
            int i = 0;
            for (var e : rows.entrySet()) {
                // the shards spread evenly under the coordinator, each with its foreign partition on the line to it
                int x = WIDTH * (2 * i + 1) / (2 * n);
                g.setColor(Color.GRAY);
                g.drawLine(WIDTH / 2, 52, x, HEADER - 60);
                String label = e.getKey() + " via postgres_fdw: " + String.format(java.util.Locale.ROOT, "%,d", e.getValue()) + " rows";
                String bound = bounds.get(e.getKey());
                int w = Math.max(g.getFontMetrics().stringWidth(label), g.getFontMetrics().stringWidth(bound)) + 20;
                g.setColor(new Color(236, 246, 236));
                g.fillRoundRect(x - w / 2, HEADER - 60, w, 48, 10, 10);
                g.setColor(Color.DARK_GRAY);
                g.drawRoundRect(x - w / 2, HEADER - 60, w, 48, 10, 10);
                g.drawString(label, x - w / 2 + 10, HEADER - 41);
                g.drawString(bound, x - w / 2 + 10, HEADER - 21);
                i++;
            }
            g.drawImage(bars, 0, HEADER, null);
        } finally {
            g.dispose();
        }
        return new ShardPicture(java.util.Collections.unmodifiableMap(rows), java.util.Collections.unmodifiableMap(bounds), image);
    }
}
