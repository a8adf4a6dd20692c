package lab;

import java.util.EnumMap;
import java.util.Map;
import lab.LoadSimulator.Target;

/** The load simulator's four tables on the embedded partitioned node, for the tests that write into them. */
final class LoadTables {
    private LoadTables() {}

    /** The partitioned node, with every table the load writes created and partitioned if it is missing or plain. */
    static Node partitioned() {
        Node node = Lab.connect("embedded").node("partitioned");
        for (Target target : Target.defaultMix().keySet()) target.migration().ensure(node);
        return node;
    }

    /** Exact row counts of the four tables, to compare before and after a load. */
    static Map<Target, Long> rowCounts(Node node) {
        Map<Target, Long> counts = new EnumMap<>(Target.class);
        for (Target target : Target.defaultMix().keySet()) counts.put(target, node.count(target.table()));
        return counts;
    }
}
