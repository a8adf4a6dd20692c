package lab;

import java.sql.SQLException;

/** A failed statement, named with the node it ran on and the SQLSTATE, so a notebook error reads at once. */
public class LabSqlException extends RuntimeException {
    private final String sqlState;

    public LabSqlException(String node, String statement, SQLException cause) {
        super("[" + node + "] " + firstLine(cause.getMessage()) + " (SQLSTATE " + cause.getSQLState() + ")"
                + "\n  in: " + abbreviate(statement), cause);
        this.sqlState = cause.getSQLState();
    }

    private LabSqlException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
    }

    /** The same failure, its first line followed by what the caller adds (what it left behind, say), on one line. */
    public LabSqlException withMore(String more) {
        String first = getMessage().lines().findFirst().orElse("");
        return new LabSqlException(first + more, (SQLException) getCause());
    }

    public String sqlState() {
        return sqlState;
    }

    /**
     * A check the SQL makes before it changes anything (SQLSTATE 22023, invalid_parameter_value: an unknown table, a
     * malformed month, a missing precondition) as the user's mistake it is; any other failure as it is.
     */
    public RuntimeException asBadInputIfRefused() {
        return "22023".equals(sqlState) ? new BadInput(serverMessage()) : this;
    }

    /**
     * The user's mistake as {@link BadInput} (see {@link #asBadInputIfRefused}), a lock the discipline could not get
     * within its budget (SQLSTATE 55P03 with online.lock_relations' message naming the session in the way) as
     * {@link LockGiveUp}, anything else as it is.
     */
    public RuntimeException classified() {
        if ("55P03".equals(sqlState)) return new LockGiveUp(serverMessage(), this);
        return asBadInputIfRefused();
    }

    /** The server's message alone, as psql would print it after ERROR:. */
    public String serverMessage() {
        return firstLine(((SQLException) getCause()).getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.lines().findFirst().orElse("");
        return line.startsWith("ERROR: ") ? line.substring(7) : line;
    }

    private static String abbreviate(String sql) {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }
}
