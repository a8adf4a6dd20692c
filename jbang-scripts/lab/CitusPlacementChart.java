package lab;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Table;

/**
 * The Citus journey as a picture (lesson 09): for each phase, a group of bars, one per node, each as high as the
 * distributed shards the node held at the end of that phase. The input is the journey's table (one row per phase and
 * node: {@code phase}, {@code lab_node}, {@code distributed_shards}), which the lesson fills from the placement table
 * of every step ({@code nodes.sql}, read from {@code citus_shards}), so the picture is true for the run.
 * {@link #drawn()} holds, phase by phase, the value drawn for each node the phase's placement listed; a node that was
 * not in the cluster in a phase draws no bar there.
 */
public record CitusPlacementChart(Map<String, Map<String, Long>> drawn, BufferedImage image) {
    static final int WIDTH = 1000;
    static final int HEIGHT = 440;
    private static final Map<String, Color> COLORS = Map.of(Citus.COORDINATOR, new Color(150, 150, 150),
            "worker1", new Color(66, 120, 190), "worker2", new Color(230, 140, 50), "worker3", new Color(80, 160, 90));

    public static CitusPlacementChart of(Table phases) {
        Map<String, Map<String, Long>> drawn = new LinkedHashMap<>();
        Set<String> nodes = new LinkedHashSet<>();
        for (int r = 0; r < phases.rowCount(); r++) {
            String node = phases.getString(r, "lab_node");
            nodes.add(node);
            drawn.computeIfAbsent(phases.getString(r, "phase"), p -> new LinkedHashMap<>())
                    .put(node, Tables.number(phases, "distributed_shards", r));
        }
        if (drawn.isEmpty()) throw new IllegalArgumentException("no phase to draw: the table '" + phases.name() + "' is empty");
        List<String> phaseNames = List.copyOf(drawn.keySet());
        List<String> order = new ArrayList<>(nodes);
        // the coordinator first, then the workers by name, whatever order the phases met them in
        order.sort((a, b) -> a.equals(Citus.COORDINATOR) ? -1 : b.equals(Citus.COORDINATOR) ? 1 : a.compareTo(b));

        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("distributed shards per node at the end of each phase (citus_shards)")
                .xAxisTitle("phase").yAxisTitle("shards of orders and order_items").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#");
        chart.getStyler().setOverlapped(false);
        for (String node : order) {
            List<Number> values = new ArrayList<>();
            // a node outside the cluster in a phase (worker3 before it joined, worker2 after its drain) draws no bar
            for (String phase : phaseNames) values.add(drawn.get(phase).get(node));
            var series = chart.addSeries(node, phaseNames, values);
            if (COLORS.containsKey(node)) series.setFillColor(COLORS.get(node));
        }
        Map<String, Map<String, Long>> frozen = new LinkedHashMap<>();
        drawn.forEach((phase, perNode) -> frozen.put(phase, Collections.unmodifiableMap(perNode)));
        return new CitusPlacementChart(Collections.unmodifiableMap(frozen), BitmapEncoder.getBufferedImage(chart));
    }

    /** The shards drawn for every node of one phase (empty for a phase not drawn). */
    public Map<String, Long> drawnIn(String phase) {
        return drawn.getOrDefault(phase, Map.of());
    }

    /** The shards drawn in one phase, all nodes together. */
    public long totalIn(String phase) {
        return drawnIn(phase).values().stream().mapToLong(Long::longValue).sum();
    }
}
