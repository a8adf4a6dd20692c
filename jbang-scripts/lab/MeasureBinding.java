package lab;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the measurement ({@link AdvisorMeasure}) gives a value to each {@code $n} of a query as pg_stat_statements
 * normalizes it, so that a workload's queries run on the sample with values the sample holds, new ones each run:
 * <ul>
 * <li>{@code col = $n} (any comparison, {@code LIKE}, {@code IN ($n, ...)}, either side): the column's value in a
 *     random sample row;</li>
 * <li>a range on one column, {@code col >= $a AND col < $b} (or {@code >}, {@code <=}, {@code BETWEEN $a AND $b}): a
 *     random row's value, and for a time column that value plus one interval (the recommendation's for its key, a
 *     day for another time column); for any other column a second row's value, the two in order;</li>
 * <li>{@code LIMIT $n}: 10; {@code OFFSET $n}: 0;</li>
 * <li>an interval ({@code $n::interval}, {@code interval $n}, {@code now() - $n}): one interval of the recommendation
 *     (a day without one);</li>
 * <li>the unit of {@code date_trunc($n, ...)}: the recommendation's interval ({@code month}; {@code day} without one).</li>
 * </ul>
 * A {@code $n} in any other place (the select list, a function's argument) or compared with something that is not a
 * column of the table cannot be bound: {@link #parse} says why, and the query is reported as skipped.
 */
final class MeasureBinding {
    /** A comparison's operator, and LIKE. */
    private static final String OP = "(<>|!=|<=|>=|=|<|>|(?i:\\bNOT\\s+I?LIKE|\\bI?LIKE))";
    private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");
    private static final Pattern COLUMN_BEFORE = Pattern.compile(NAME + "\\s*" + OP + "\\s*((?i:ANY)\\s*\\(\\s*)?$");
    private static final Pattern COLUMN_AFTER = Pattern.compile("^(?:::[A-Za-z_ ]+?)?\\s*" + OP + "\\s*(?:" + NAME + "\\s*\\.\\s*)?" + NAME);
    private static final Pattern IN_LIST = Pattern.compile(NAME + "\\s+(?i:IN)\\s*\\(\\s*(?:\\$\\d+(?:::[A-Za-z_ ]+?)?\\s*,\\s*)*$");
    private static final Pattern BETWEEN_LOW = Pattern.compile(NAME + "\\s+(?i:BETWEEN)\\s*$");
    private static final Pattern BETWEEN_HIGH = Pattern.compile(NAME + "\\s+(?i:BETWEEN)\\s+\\$(\\d+)(?:::[A-Za-z_ ]+?)?\\s+(?i:AND)\\s*$");
    private static final Pattern LIMIT = Pattern.compile("(?i)\\bLIMIT\\s*$");
    private static final Pattern OFFSET = Pattern.compile("(?i)\\bOFFSET\\s*$");
    private static final Pattern INTERVAL_BEFORE = Pattern.compile("(?i)(\\binterval\\s*|(now\\(\\)|current_timestamp|current_date|localtimestamp)\\s*[-+]\\s*)$");
    private static final Pattern INTERVAL_AFTER = Pattern.compile("(?i)^::interval\\b");
    private static final Pattern CAST_AFTER = Pattern.compile("^::");
    /** {@code interval $n}: the keyword is there already, the value goes in as a bare string literal. */
    private static final Pattern INTERVAL_KEYWORD_BEFORE = Pattern.compile("(?i)\\binterval\\s*$");
    private static final Pattern DATE_TRUNC_BEFORE = Pattern.compile("(?i)\\bdate_trunc\\s*\\(\\s*$");

    static final int LIMIT_VALUE = 10;

    /** What a placeholder stands for. */
    enum Kind { VALUE, RANGE_LOW, RANGE_HIGH, LIMIT, OFFSET, INTERVAL, UNIT }

    /**
     * One {@code $n}: its kind, the column it is compared with (VALUE and RANGE_*), for RANGE_HIGH the placeholder of
     * the range's low end, and for an interval whether the text casts it already.
     */
    record Slot(int n, Kind kind, String column, int lowOf, boolean typed) {
        String describe(String width) {
            return "$" + n + switch (kind) {
                case VALUE -> " " + column + ": a random sample row's";
                case RANGE_LOW -> " " + column + ": a random sample row's (range start)";
                case RANGE_HIGH -> " " + column + ": " + (width == null ? "a second row's (range end)" : "$" + lowOf + " + " + width);
                case LIMIT -> ": LIMIT " + LIMIT_VALUE;
                case OFFSET -> ": OFFSET 0";
                case INTERVAL -> ": " + width;
                case UNIT -> ": the unit of " + width;
            };
        }
    }

    /** A query's placeholders, or why it cannot be bound. */
    record Parsed(List<Slot> slots, String unbindable) {
        boolean bindable() {
            return unbindable == null;
        }
    }

    private MeasureBinding() {}

    /** A time column's value plus an interval, as the server computes it for the column's type. */
    @FunctionalInterface
    interface Plus {
        String apply(String column, String value, String width);
    }

    /**
     * @param columns the table's columns by name, {@code true} for a time column
     */
    static Parsed parse(String query, Map<String, Boolean> columns) {
        Map<Integer, Slot> slots = new LinkedHashMap<>();
        Map<Integer, String> ops = new LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(query);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (slots.containsKey(n)) continue;
            String before = query.substring(Math.max(0, m.start() - 200), m.start());
            String after = query.substring(m.end(), Math.min(query.length(), m.end() + 200));
            Optional<Slot> slot = Optional.empty();
            Matcher b;
            Matcher a;
            if (LIMIT.matcher(before).find()) {
                slot = Optional.of(new Slot(n, Kind.LIMIT, null, 0, false));
            } else if (OFFSET.matcher(before).find()) {
                slot = Optional.of(new Slot(n, Kind.OFFSET, null, 0, false));
            } else if (DATE_TRUNC_BEFORE.matcher(before).find()) {
                slot = Optional.of(new Slot(n, Kind.UNIT, null, 0, false));
            } else if (INTERVAL_AFTER.matcher(after).find() || INTERVAL_BEFORE.matcher(before).find()) {
                boolean typed = CAST_AFTER.matcher(after).find() || INTERVAL_KEYWORD_BEFORE.matcher(before).find();
                slot = Optional.of(new Slot(n, Kind.INTERVAL, null, 0, typed));
            } else if ((b = BETWEEN_HIGH.matcher(before)).find()) {
                String column = column(b.group(1), columns);
                if (column == null) return unknownColumn(n, b.group(1));
                slot = Optional.of(new Slot(n, Kind.RANGE_HIGH, column, Integer.parseInt(b.group(2)), false));
            } else if ((b = BETWEEN_LOW.matcher(before)).find()) {
                String column = column(b.group(1), columns);
                if (column == null) return unknownColumn(n, b.group(1));
                slot = Optional.of(new Slot(n, Kind.RANGE_LOW, column, 0, false));
            } else if ((b = IN_LIST.matcher(before)).find()) {
                String column = column(b.group(1), columns);
                if (column == null) return unknownColumn(n, b.group(1));
                slot = Optional.of(new Slot(n, Kind.VALUE, column, 0, false));
            } else if ((b = COLUMN_BEFORE.matcher(before)).find()) {
                if (b.group(3) != null) return new Parsed(List.of(), "$" + n + " is an array (= ANY): not bound");
                String column = column(b.group(1), columns);
                if (column == null) return unknownColumn(n, b.group(1));
                ops.put(n, b.group(2).strip().toUpperCase(Locale.ROOT));
                slot = Optional.of(new Slot(n, Kind.VALUE, column, 0, false));
            } else if ((a = COLUMN_AFTER.matcher(after)).find()) {
                String column = column(a.group(3), columns);
                if (column == null) return unknownColumn(n, a.group(3));
                ops.put(n, flip(a.group(1).strip().toUpperCase(Locale.ROOT)));
                slot = Optional.of(new Slot(n, Kind.VALUE, column, 0, false));
            }
            if (slot.isEmpty()) {
                return new Parsed(List.of(), "$" + n + " is not compared with a column, nor a LIMIT, OFFSET or interval: no value to give it");
            }
            slots.put(n, slot.get());
        }
        pairRanges(slots, ops);
        return new Parsed(List.copyOf(slots.values()), null);
    }

    /** {@code col >= $a ... col < $b}: the first lower and the first upper bound on one column make a range. */
    private static void pairRanges(Map<Integer, Slot> slots, Map<Integer, String> ops) {
        Map<String, Integer> lows = new LinkedHashMap<>();
        for (var e : ops.entrySet()) {
            Slot s = slots.get(e.getKey());
            if (e.getValue().startsWith(">")) lows.putIfAbsent(s.column(), s.n());
        }
        for (var e : ops.entrySet()) {
            Slot s = slots.get(e.getKey());
            Integer low = lows.get(s.column());
            if (!e.getValue().startsWith("<") || e.getValue().equals("<>") || low == null) continue;
            slots.put(low, new Slot(low, Kind.RANGE_LOW, s.column(), 0, false));
            slots.put(s.n(), new Slot(s.n(), Kind.RANGE_HIGH, s.column(), low, false));
            lows.remove(s.column());
        }
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static Parsed unknownColumn(int n, String name) {
        return new Parsed(List.of(), "$" + n + " is compared with " + name + ", not a column of the table");
    }

    /** The column a name in the query means: a quoted name as it is, an unquoted one folded to lower case. */
    private static String column(String name, Map<String, Boolean> columns) {
        String plain = name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name.toLowerCase(Locale.ROOT);
        return columns.containsKey(plain) ? plain : null;
    }

    /**
     * The query with a literal for every placeholder. {@code row} gives a random sample row each time it is called (a
     * column's value as text, null for NULL); {@code plus} adds an interval to a time column's value.
     *
     * @param widthOf for a time column (null: for an interval placeholder), how far a range on it reaches, as
     *                PostgreSQL reads an interval ({@code 1 month})
     */
    static String bind(String query, Parsed parsed, Map<String, Boolean> timeColumns, Function<String, String> widthOf,
            java.util.function.Supplier<Map<String, String>> row, Plus plus) {
        Map<Integer, String> literals = new LinkedHashMap<>();
        Map<Integer, String> raw = new LinkedHashMap<>();
        List<Slot> highs = new ArrayList<>();
        for (Slot s : parsed.slots()) {
            switch (s.kind()) {
                case LIMIT -> literals.put(s.n(), Integer.toString(LIMIT_VALUE));
                case OFFSET -> literals.put(s.n(), "0");
                case INTERVAL -> literals.put(s.n(), (s.typed() ? "" : "interval ") + literal(widthOf.apply(null)));
                case UNIT -> literals.put(s.n(), literal(widthOf.apply(null).replaceFirst("^\\s*\\d+\\s+", "")));
                case VALUE, RANGE_LOW -> {
                    String v = row.get().get(s.column());
                    raw.put(s.n(), v);
                    literals.put(s.n(), literal(v));
                }
                case RANGE_HIGH -> highs.add(s);
            }
        }
        for (Slot s : highs) {
            String low = raw.get(s.lowOf());
            if (Boolean.TRUE.equals(timeColumns.get(s.column()))) {
                literals.put(s.n(), literal(low == null ? null : plus.apply(s.column(), low, widthOf.apply(s.column()))));
                continue;
            }
            String high = row.get().get(s.column());
            if (low != null && high != null && compare(low, high) > 0) {
                literals.put(s.lowOf(), literal(high));
                high = low;
            }
            literals.put(s.n(), literal(high));
        }
        Matcher m = PLACEHOLDER.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = literals.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        return m.appendTail(out).toString();
    }

    /** Numbers as numbers, anything else as text (ISO timestamps sort as text). */
    private static int compare(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    /** A value from the server as a standard SQL string literal (standard_conforming_strings: only quotes double). */
    static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
