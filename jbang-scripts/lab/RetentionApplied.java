package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tech.tablesaw.api.Table;

/**
 * Retention applied, held to its dry run and to the catalogs (lesson 06): the run did to each partition what the dry
 * run said; a dropped partition is gone and its rows with it; a detached one is an ordinary table with its rows; an
 * archived one lives on in the archive schema with its rows; nothing else was lost. The dry run counted each
 * partition's rows exactly (the applied lines carry the statistics' estimates), so the checks use its counts.
 */
public record RetentionApplied(Table removed, int partitions, boolean asTheDryRunSaid, List<Landing.Check> checks) {
    static final List<String> REMOVALS = List.of("drop", "detach", "archive");

    /**
     * Compares the applied run's lines with the dry run's, and checks the catalogs and counts now against the rows
     * each table had before the run ({@code rowsBefore}).
     */
    public static RetentionApplied check(Node db, Table dryRun, Table applied, Map<String, Long> rowsBefore) {
        Table removed = applied.where(applied.stringColumn("action").isIn(REMOVALS)).setName("retention applied");
        Map<String, String> did = new TreeMap<>();
        for (int i = 0; i < removed.rowCount(); i++) did.put(removed.getString(i, "partition_name"), "would " + removed.getString(i, "action"));
        Map<String, String> said = new TreeMap<>();
        Map<String, Long> counted = new TreeMap<>();
        for (int i = 0; i < dryRun.rowCount(); i++) {
            // keep lines (the newest partition, the DEFAULT's old rows) name what neither run removes
            if (dryRun.getString(i, "action").startsWith("would ")) said.put(dryRun.getString(i, "partition_name"), dryRun.getString(i, "action"));
            counted.put(dryRun.getString(i, "partition_name"), dryRun.longColumn("rows").get(i));
        }
        List<Landing.Check> checks = new ArrayList<>();
        for (String t : ManagedTables.TABLES) {
            Table lines = removed.where(removed.stringColumn("parent_table").isEqualTo(t));
            List<String> gone = lines.stringColumn("partition_name").asList();
            if (gone.isEmpty()) continue;
            String mode = lines.getString(0, "action");
            long rowsNow = db.count(t);
            long moved = gone.stream().mapToLong(p -> counted.getOrDefault(p, 0L)).sum();
            if (mode.equals("drop")) {
                checks.add(new Landing.Check(t + ": " + rowsBefore.get(t) + " rows before, minus the " + moved + " of its " + gone.size()
                        + " dropped partitions (" + (rowsBefore.get(t) - moved) + ")", rowsNow == rowsBefore.get(t) - moved));
                checks.add(new Landing.Check(t + ": the dropped partitions no longer exist", gone.stream().noneMatch(p -> Partitions.exists(db, p))));
                continue;
            }
            long kept = 0;
            for (String p : gone) {
                String now = mode.equals("archive") ? "archive." + p.substring(p.indexOf('.') + 1) : p;
                boolean holds = mode.equals("archive")
                        ? !Partitions.exists(db, p) && Partitions.exists(db, now) && db.count(now) == counted.getOrDefault(p, -1L)
                        : !Partitions.leafNames(db, t).contains(p) && db.count(p) == counted.getOrDefault(p, -1L);
                checks.add(new Landing.Check(mode.equals("archive") ? p + " is " + now + " now, with its " + counted.get(p) + " rows"
                        : p + " is an ordinary table now, not a partition, with its " + counted.get(p) + " rows", holds));
                kept += holds ? db.count(now) : 0;
            }
            checks.add(new Landing.Check(t + " and its " + (mode.equals("archive") ? "archived" : "detached") + " months hold every row it had ("
                    + rowsBefore.get(t) + ")", rowsNow + kept == rowsBefore.get(t)));
        }
        return new RetentionApplied(removed, did.size(), did.equals(said), List.copyOf(checks));
    }
}
