package lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Where rows landed, as the lessons' queries report it ({@code tableoid} turned into a partition name), held to
 * where the partitioning says they belong. Each check carries the message of the claim it backs.
 */
public final class Landing {
    private Landing() {}

    /** One claim's worth: what it proves, and whether it holds. */
    public record Check(String message, boolean holds) {}

    /**
     * One check per month of {@code year}: all {@code perMonth} rows of the month, and only they, are in the
     * partition {@code table_YYYY_MM}. Reads a table with columns month (YYYY-MM), partition and row_count.
     */
    public static List<Check> monthByMonth(Table landing, String table, int year, long perMonth) {
        List<Check> checks = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            String month = String.format("%d-%02d", year, m);
            String partition = String.format("%s_%d_%02d", table, year, m);
            Table rows = landing.where(landing.stringColumn("month").isEqualTo(month));
            checks.add(new Check(month + ": all " + perMonth + " rows are in " + partition, rows.rowCount() == 1
                    && rows.getString(0, "partition").equals(partition) && rows.longColumn("row_count").get(0) == perMonth));
        }
        return checks;
    }

    /**
     * Whether every row is stored in the partition its hash's remainder names ({@code prefix + remainder}).
     * Reads a table with columns stored_in and remainder_of_hash.
     */
    public static boolean everyRowOnItsRemainder(Table landing, String prefix) {
        for (int i = 0; i < landing.rowCount(); i++) {
            if (!landing.getString(i, "stored_in").equals(prefix + landing.column("remainder_of_hash").get(i))) return false;
        }
        return landing.rowCount() > 0;
    }

    /** Each case's partition, from a table with columns case_name and landed_in, in the table's order. */
    public static Map<String, String> byCase(Table landed) {
        Map<String, String> where = new LinkedHashMap<>();
        for (int i = 0; i < landed.rowCount(); i++) where.put(landed.getString(i, "case_name"), landed.getString(i, "landed_in"));
        return where;
    }
}
