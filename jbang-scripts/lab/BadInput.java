package lab;

/** A user's mistake (bad month, unknown table, ...): runbooks print its message on one line and exit 2. */
public class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message);
    }

    /** The message {@code action} was refused with, or "" when it was not refused (it ran). */
    public static String refusalOf(Runnable action) {
        try {
            action.run();
            return "";
        } catch (BadInput refused) {
            return refused.getMessage();
        }
    }
}
