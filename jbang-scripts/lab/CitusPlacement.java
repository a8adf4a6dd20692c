package lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One placement table of the Citus journey ({@link Citus#placement()}, a step's {@code before()} or {@code after()}),
 * read into numbers a claim can hold: the distributed shards (of orders and order_items) and the reference-table
 * placements on each node, by the lab's node name ({@code citus}, {@code worker1}, ...). Before Citus is enabled the
 * table has the coordinator alone, with no reference placements.
 */
public record CitusPlacement(Map<String, Long> shardsPerNode, Map<String, Long> referencePerNode, Map<String, Boolean> active) {

    public static CitusPlacement of(Table placement) {
        Map<String, Long> shards = new LinkedHashMap<>();
        Map<String, Long> reference = new LinkedHashMap<>();
        Map<String, Boolean> active = new LinkedHashMap<>();
        boolean hasReference = placement.columnNames().contains("reference_shards");
        boolean hasActive = placement.columnNames().contains("active");
        for (int r = 0; r < placement.rowCount(); r++) {
            String node = placement.getString(r, "lab_node");
            shards.put(node, Tables.number(placement, "distributed_shards", r));
            reference.put(node, hasReference ? Tables.number(placement, "reference_shards", r) : 0L);
            active.put(node, !hasActive || Boolean.TRUE.equals(placement.booleanColumn("active").get(r)));
        }
        return new CitusPlacement(Collections.unmodifiableMap(shards), Collections.unmodifiableMap(reference),
                Collections.unmodifiableMap(active));
    }

    /** The nodes in the table, in its order: the coordinator first, then the workers in the metadata. */
    public List<String> nodes() {
        return List.copyOf(shardsPerNode.keySet());
    }

    /** Distributed shards per worker (the coordinator left out), sorted by name. */
    public Map<String, Long> shardsPerWorker() {
        Map<String, Long> workers = new TreeMap<>(shardsPerNode);
        workers.remove(Citus.COORDINATOR);
        return workers;
    }

    /** Every distributed shard in the cluster, wherever it is. */
    public long total() {
        return shardsPerNode.values().stream().mapToLong(Long::longValue).sum();
    }

    public long shardsOn(String node) {
        return shardsPerNode.getOrDefault(node, 0L);
    }

    /** The difference between the busiest and the idlest worker, in shards (0 without workers). */
    public long spread() {
        var workers = shardsPerWorker().values();
        return workers.isEmpty() ? 0 : Collections.max(workers) - Collections.min(workers);
    }

    /** True when every node in the table holds {@code copies} placements of reference tables. */
    public boolean referenceEverywhere(long copies) {
        return !referencePerNode.isEmpty() && referencePerNode.values().stream().allMatch(n -> n == copies);
    }

    /**
     * The placement after each phase of a journey, node by node: one row per phase and node ({@code phase},
     * {@code lab_node}, {@code role}, {@code distributed_shards}), the table the lesson shows at the end and
     * {@link CitusPlacementChart} draws.
     */
    public static final class History {
        private final Table phases = Table.create("shards per node after each phase", StringColumn.create("phase"),
                StringColumn.create("lab_node"), StringColumn.create("role"), IntColumn.create("distributed_shards"));

        /** Adds one phase's placement table (lab_node, role, distributed_shards), node by node. */
        public History remember(String phase, Table placement) {
            CitusPlacement read = CitusPlacement.of(placement);
            for (int r = 0; r < placement.rowCount(); r++) {
                String node = placement.getString(r, "lab_node");
                phases.stringColumn("phase").append(phase);
                phases.stringColumn("lab_node").append(node);
                phases.stringColumn("role").append(placement.getString(r, "role"));
                phases.intColumn("distributed_shards").append((int) read.shardsOn(node));
            }
            return this;
        }

        public Table table() {
            return phases;
        }

        /** The distributed shards of each phase, all nodes together, in the order the phases were remembered. */
        public List<Long> shardsPerPhase() {
            Map<String, Long> perPhase = new LinkedHashMap<>();
            for (int r = 0; r < phases.rowCount(); r++) {
                perPhase.merge(phases.getString(r, "phase"), (long) phases.intColumn("distributed_shards").getInt(r), Long::sum);
            }
            return List.copyOf(perPhase.values());
        }

        /** True when the chart drew, for every phase and node of the table, the shards the table holds, and nothing else. */
        public boolean drawnAsRemembered(CitusPlacementChart chart) {
            int cells = 0;
            for (int r = 0; r < phases.rowCount(); r++) {
                Long drawn = chart.drawnIn(phases.getString(r, "phase")).get(phases.getString(r, "lab_node"));
                if (drawn == null || drawn != phases.intColumn("distributed_shards").getInt(r)) return false;
            }
            for (Map<String, Long> perNode : chart.drawn().values()) cells += perNode.size();
            return cells == phases.rowCount();
        }

        public CitusPlacementChart picture() {
            return CitusPlacementChart.of(phases);
        }
    }
}
