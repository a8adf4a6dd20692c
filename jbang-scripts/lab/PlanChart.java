package lab;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Several EXPLAIN ANALYZE reads of the same question side by side as a bar chart: the shared buffers each one
 * touched (hit or read), the work that grows with what a query must look at. {@code buffers} are the values drawn.
 */
public record PlanChart(String title, List<String> labels, List<Long> buffers, BufferedImage image) {

    public static PlanChart buffers(String title, List<String> labels, List<PlanSummary> plans) {
        if (labels.size() != plans.size()) throw new IllegalArgumentException("one label per plan: " + labels.size() + " labels, " + plans.size() + " plans");
        List<Long> values = plans.stream().map(PlanSummary::sharedBuffers).toList();
        CategoryChart chart = new CategoryChartBuilder().width(800).height(360).title(title)
                .xAxisTitle("query").yAxisTitle("shared buffers (8 kB pages)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.addSeries("shared buffers", labels, values);
        return new PlanChart(title, List.copyOf(labels), values, BitmapEncoder.getBufferedImage(chart));
    }

    /** How many times fewer buffers the {@code better} label touched than the {@code worse} one. */
    public double ratio(String worse, String better) {
        return (double) buffers.get(labels.indexOf(worse)) / Math.max(1, buffers.get(labels.indexOf(better)));
    }
}
