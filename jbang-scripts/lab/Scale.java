package lab;

import java.util.Locale;

/** How much data a lesson loads: {@code LAB_SCALE} = ci (seconds), demo (a minute), full (the seeds' volume). */
public enum Scale {
    ci(500, 2_000, 100, 1_000),
    demo(20_000, 50_000, 1_000, 10_000),
    full(500_000, 1_000_000, 100_000, 1_000_000);

    private final int rowsPerMonth;
    private final int seedRows;
    private final int citusUsers;
    private final int citusOrders;

    Scale(int rowsPerMonth, int seedRows, int citusUsers, int citusOrders) {
        this.rowsPerMonth = rowsPerMonth;
        this.seedRows = seedRows;
        this.citusUsers = citusUsers;
        this.citusOrders = citusOrders;
    }

    /** Users of the Citus journey (the seed's 1,000 at demo). */
    public int citusUsers() {
        return citusUsers;
    }

    /** Orders of the Citus journey (the seed's 10,000 at demo), 2.5 lines each on average. */
    public int citusOrders() {
        return citusOrders;
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
