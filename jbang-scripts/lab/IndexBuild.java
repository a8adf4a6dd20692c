package lab;

import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Lesson 11's index on {@code app.readings (sensor_id, taken_at)}, built the way a live table needs it: the parent's
 * index ON ONLY (invalid, nothing built), then each partition's CONCURRENTLY and attached to it, one at a time, with
 * the parent index's state read from pg_index after each step (sql/11-indexes/02..04 and q_index_state.sql).
 */
public record IndexBuild(State before, Table steps, State after) {
    public static final String TABLE = "app.readings";
    public static final String PARENT_INDEX = "app.readings_sensor_taken_idx";

    /** The parent's index as pg_index has it: valid or not, partitions' indexes attached of partitions. */
    public record State(String index, boolean valid, long attached, long partitions, String definition) {
        public String verdict() {
            return index + (valid ? " is valid" : " is invalid") + ", " + attached + " of " + partitions + " partitions' indexes attached";
        }
    }

    public static State state(Node node) {
        return state(node, PARENT_INDEX);
    }

    /** Any partitioned table's index (schema-qualified), such as the primary key's app.readings_pkey. */
    public static State state(Node node, String index) {
        Table t = node.run("11-indexes/q_index_state.sql", Map.of("lab.index", index)).lastTable();
        if (t.rowCount() != 1) throw new IllegalStateException("no index " + index + " on node " + node.name());
        return new State(t.getString(0, "parent_index"), t.booleanColumn("valid").get(0),
                ((Number) t.column("attached").get(0)).longValue(), ((Number) t.column("partitions").get(0)).longValue(),
                t.getString(0, "definition"));
    }

    /** Step 2a: CREATE INDEX ... ON ONLY app.readings; the parent's index, and its state. */
    public static State onOnly(Node node) {
        node.run("11-indexes/03_parent_index_on_only.sql");
        return state(node);
    }

    /** Steps 2b and 2c for every partition in bound order: build CONCURRENTLY, attach, read the parent's state. */
    public static IndexBuild partitionByPartition(Node node) {
        State before = state(node);
        StringColumn partition = StringColumn.create("partition");
        StringColumn index = StringColumn.create("its index, built concurrently");
        BooleanColumn validAfterBuild = BooleanColumn.create("parent valid before attach");
        IntColumn attached = IntColumn.create("attached");
        BooleanColumn validAfterAttach = BooleanColumn.create("parent valid after attach");
        for (String leaf : Partitions.leafNames(node, TABLE)) {
            String name = leaf.substring(leaf.indexOf('.') + 1);
            var names = Map.of("partition", name, "partition_index", name + "_sensor_taken_idx");
            Sql.file("11-indexes/04_partition_index_concurrently.sql").withVariables(names).run(node, Map.of());
            State built = state(node);
            Sql.file("11-indexes/05_attach_partition_index.sql").withVariables(names).run(node, Map.of());
            State now = state(node);
            partition.append(leaf);
            index.append("app." + names.get("partition_index"));
            validAfterBuild.append(built.valid());
            attached.append((int) now.attached());
            validAfterAttach.append(now.valid());
        }
        Table steps = Table.create("the parent's index after each partition's index is attached", partition, index,
                validAfterBuild, attached, validAfterAttach);
        return new IndexBuild(before, steps, state(node));
    }

    /** The parent's index was invalid before every attach and after all but the last, and valid after the last. */
    public boolean validOnlyOnceAllAttached() {
        int n = steps.rowCount();
        if (n == 0 || before.valid() || !after.valid() || after.attached() != n) return false;
        for (int r = 0; r < n; r++) {
            if (steps.booleanColumn("parent valid before attach").get(r)) return false;
            if (steps.intColumn("attached").get(r) != r + 1) return false;
            if (steps.booleanColumn("parent valid after attach").get(r) != (r == n - 1)) return false;
        }
        return true;
    }

    /** How many attaches left the parent's index invalid (all but the last). */
    public int attachesLeavingItInvalid() {
        return steps.booleanColumn("parent valid after attach").isFalse().size();
    }

    public List<String> partitions() {
        return steps.stringColumn("partition").asList();
    }
}
