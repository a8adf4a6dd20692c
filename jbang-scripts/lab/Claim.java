package lab;

import java.util.Objects;

/**
 * A lesson's claim, checked against what the server did. In Jupyter a false claim stops Run All with its
 * reason; in the replay it fails the test, so the course cannot drift from PostgreSQL's behaviour.
 */
public final class Claim {
    private Claim() {}

    public static void that(String claim, boolean holds) {
        if (!holds) throw new ClaimFailed(claim);
        System.out.println("\u2714 " + claim);
    }

    public static void equal(String claim, Object expected, Object actual) {
        if (!Objects.equals(normalise(expected), normalise(actual))) {
            throw new ClaimFailed(claim + ": expected " + expected + ", got " + actual);
        }
        System.out.println("\u2714 " + claim + " (" + actual + ")");
    }

    private static Object normalise(Object o) {
        return o instanceof Number n && !(o instanceof Double) && !(o instanceof Float) ? n.longValue() : o;
    }

    /** Thrown when the server did not do what the lesson says it does. */
    public static final class ClaimFailed extends AssertionError {
        ClaimFailed(String claim) {
            super("\u2718 claim does not hold: " + claim);
        }
    }
}
