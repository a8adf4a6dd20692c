package lab;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import tech.tablesaw.aggregate.AggregateFunctions;
import tech.tablesaw.api.Table;

/**
 * What a maintenance run did with the rows that waited in the DEFAULT partitions (lesson 06): its {@code create}
 * lines, each with the rows its new partition took out of the DEFAULT, and its {@code keep} lines for the rows it left
 * there, older than the retention cutoff. Together they account for every row that waited.
 */
public record Rescued(Table created, Table kept) {
    /** The start of the detail of a rescue's keep line (retention's own keep lines say something else). */
    static final String KEPT = "rows outside the managed months";

    /** The create and keep lines of a run's lines. */
    public static Rescued from(Table runLines) {
        var action = runLines.stringColumn("action");
        return new Rescued(runLines.where(action.isEqualTo("create")),
                runLines.where(action.isEqualTo("keep").and(runLines.stringColumn("detail").startsWith(KEPT))));
    }

    /** Rows created into new partitions plus rows kept in the DEFAULT, per managed table (0 for a table with neither). */
    public SortedMap<String, Object> rowsAccountedFor() {
        SortedMap<String, Object> rows = new TreeMap<>();
        for (String t : ManagedTables.TABLES) rows.put(t, 0L);
        for (Table lines : List.of(created, kept)) {
            for (int i = 0; i < lines.rowCount(); i++) {
                rows.merge(lines.getString(i, "parent_table"), lines.longColumn("rows").get(i), (a, b) -> (Long) a + (Long) b);
            }
        }
        return rows;
    }

    /** "table: rows" for every keep line. */
    public List<String> keptInTheDefault() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < kept.rowCount(); i++) lines.add(kept.getString(i, "parent_table") + ": " + kept.longColumn("rows").get(i));
        return lines;
    }

    /** Partitions created and rows rescued, one line per table. */
    public Table perTable(String title) {
        Table perTable = created.summarize("rows", AggregateFunctions.count, AggregateFunctions.sum).by("parent_table").setName(title);
        perTable.column(1).setName("partitions created");
        perTable.column(2).setName("rows rescued from the DEFAULT");
        return perTable;
    }

    /** One table's create and keep lines. */
    public Table of(String table) {
        Table both = created.copy().append(kept);
        return both.where(both.stringColumn("parent_table").isEqualTo(table)).setName(table + ": what the run created and kept");
    }
}
