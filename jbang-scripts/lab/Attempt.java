package lab;

import org.postgresql.util.PSQLException;

/**
 * A file from sql/ that the server may refuse, run once: whether it was refused, with the SQLSTATE, the message and
 * the DETAIL line as psql prints them, or accepted with its result. For the steps that show what PostgreSQL will not
 * do (a unique key without the partition key, a row whose foreign key is missing, a feature of a later major).
 */
public record Attempt(String file, boolean refused, String sqlState, String message, String detail, Sql.Result result) {

    public static Attempt run(Node node, String sqlFile) {
        return run(node, Sql.file(sqlFile));
    }

    public static Attempt run(Node node, Sql sql) {
        try {
            return new Attempt(sql.name(), false, "", "", "", sql.run(node, java.util.Map.of()));
        } catch (LabSqlException e) {
            String detail = e.getCause() instanceof PSQLException p && p.getServerErrorMessage() != null
                    && p.getServerErrorMessage().getDetail() != null ? p.getServerErrorMessage().getDetail() : "";
            return new Attempt(sql.name(), true, e.sqlState(), e.serverMessage(), detail, null);
        }
    }

    public boolean accepted() {
        return !refused;
    }

    /** As psql would print it: "ERROR: ... (SQLSTATE 0A000)" and the DETAIL line, or "accepted". */
    public String report() {
        if (!refused) return file + ": accepted";
        return "ERROR:  " + message + " (SQLSTATE " + sqlState + ")" + (detail.isEmpty() ? "" : "\nDETAIL:  " + detail);
    }

    @Override
    public String toString() {
        return report();
    }
}
