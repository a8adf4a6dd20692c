package lab;

import java.util.Locale;

/** How much data a lesson loads: {@code LAB_SCALE} = ci (seconds), demo (a minute), full (the seeds' volume). */
public enum Scale {
    ci(500, 2_000),
    demo(20_000, 50_000),
    full(500_000, 1_000_000);

    private final int rowsPerMonth;
    private final int seedRows;

    Scale(int rowsPerMonth, int seedRows) {
        this.rowsPerMonth = rowsPerMonth;
        this.seedRows = seedRows;
    }

    /** Rows seeded into each base table of the partition-types lessons (users get half as many); see {@link Migration}. */
    public int seedRows() {
        return seedRows;
    }

    /** Events per month for the events tables (the seeds' 500,000 at full scale). */
    public int rowsPerMonth() {
        return rowsPerMonth;
    }

    public static Scale current() {
        return parse(Settings.get("LAB_SCALE", "demo"), "LAB_SCALE");
    }

    /** {@code what} names where the text came from, for the error: LAB_SCALE, --scale. */
    public static Scale parse(String name, String what) {
        try {
            return valueOf(name.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInput(what + " '" + name + "' is not one of ci, demo, full");
        }
    }
}
