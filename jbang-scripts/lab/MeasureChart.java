package lab;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;

/**
 * The advisor's measurement as a picture: one box per measured query, the spread of its per-run ratios (the
 * recommended layout's time over the table's as it is, the same values bound in both). Below 1, faster partitioned.
 * {@code labels} are the boxes' names (Q1, Q2, ...), {@code queries} what each stands for.
 */
public record MeasureChart(List<String> labels, List<String> queries, BufferedImage image) {

    public static MeasureChart of(AdvisorMeasure.Result result) {
        BoxChart chart = new BoxChartBuilder().width(800).height(380)
                .title("partitioned / as is, per run: " + result.recommendation().describe())
                .yAxisTitle("time ratio (below 1: faster partitioned)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        List<String> labels = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (AdvisorMeasure.QueryResult q : result.queries()) {
            if (!q.measured()) continue;
            String label = "Q" + (labels.size() + 1);
            labels.add(label);
            queries.add(label + ": " + q.query().strip().replaceAll("\\s+", " "));
            chart.addSeries(label, q.runRatios());
        }
        if (labels.isEmpty()) throw new IllegalStateException("no query of " + result.table() + " was measured: nothing to draw");
        return new MeasureChart(List.copyOf(labels), List.copyOf(queries), BitmapEncoder.getBufferedImage(chart));
    }
}
