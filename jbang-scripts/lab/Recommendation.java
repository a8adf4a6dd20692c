package lab;

import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

/**
 * The layout the partitioning advisor recommends for one table, and what a migration to it needs: for a time key, the
 * months the data spans ({@code firstMonth}..{@code lastMonth}, from the statistics), the months to create ahead and
 * the retention (in months) its time column suggests. Shared by the analysis ({@link Strategy}, reasons), the plan it
 * writes and the measurement on a scratch server.
 *
 * @param modulus     HASH (or the second level of {@link Strategy#RANGE_HASH}): the number of partitions; else 0
 * @param listValues  LIST: the values that get a partition of their own (the rest go to the DEFAULT); else empty
 * @param subColumn   {@link Strategy#RANGE_HASH}: the second level's column, hashed into {@code modulus} partitions
 */
public record Recommendation(String table, Strategy strategy, String column, Interval interval, int modulus,
        List<String> listValues, String subColumn, YearMonth firstMonth, YearMonth lastMonth, int monthsAhead,
        Integer retentionMonths) {

    public enum Strategy { RANGE, LIST, HASH, RANGE_HASH }

    public enum Interval { DAY, WEEK, MONTH }

    public Recommendation {
        listValues = listValues == null ? List.of() : List.copyOf(listValues);
    }

    /** E.g. "range by month on recorded_at", "hash on tenant_id (8 partitions)". */
    public String describe() {
        String unit = interval == null ? "" : interval.name().toLowerCase(Locale.ROOT);
        return switch (strategy) {
            case RANGE -> "range by " + unit + " on " + column;
            case LIST -> "list on " + column + " (" + listValues.size() + " values + DEFAULT)";
            case HASH -> "hash on " + column + " (" + modulus + " partitions)";
            case RANGE_HASH -> "range by " + unit + " on " + column + ", then hash on " + subColumn + " (" + modulus + ")";
        };
    }
}
