package lab;

/**
 * A feature a lesson shows that depends on the server's major version, with the major it arrived in (from the
 * PostgreSQL release notes): the lesson shows it where the server has it, and says so where it has not.
 */
public enum MajorFeature {
    /** EXPLAIN (MEMORY): the planner's memory, "Planning: Memory used/allocated" (release notes of 17). */
    EXPLAIN_MEMORY(17, "EXPLAIN (MEMORY), the planner's memory"),
    /** ANALYZE ONLY on a partitioned table: the parent's statistics without analyzing every partition again (18). */
    ANALYZE_ONLY(18, "ANALYZE ONLY on a partitioned table"),
    /** ADD FOREIGN KEY ... NOT VALID on a partitioned table, validated later (18). */
    NOT_VALID_FOREIGN_KEY(18, "NOT VALID foreign keys on a partitioned table");

    private final int since;
    private final String what;

    MajorFeature(int since, String what) {
        this.since = since;
        this.what = what;
    }

    /** The first major that has it. */
    public int since() {
        return since;
    }

    public String what() {
        return what;
    }

    /** The server's major version, from server_version_num (160004 is 16). */
    public static int major(Node node) {
        return Integer.parseInt(String.valueOf(node.scalar("SELECT current_setting('server_version_num')"))) / 10_000;
    }

    public boolean on(Node node) {
        return major(node) >= since;
    }

    /** One line for the lesson: whether this server has it, and since when. */
    public String say(Node node) {
        return say0(major(node));
    }

    /** The same line for a major already known. */
    String say0(int major) {
        return major >= since
                ? "PostgreSQL " + major + " has " + what + " (since " + since + ")."
                : "PostgreSQL " + major + " has no " + what + ": it arrived in " + since + ", so this server refuses it.";
    }
}
