package lab;

/** A user's mistake (bad month, unknown table, ...): runbooks print its message on one line and exit 2. */
public class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message);
    }

    /**
     * The message on one line, without a password, and without the "Error: " picocli starts some messages with (an
     * ArgGroup's "Error: --enable, --disable are mutually exclusive"): the line runbooks print already says {@code error:}.
     * The service's error replies and the library's messages that quote a user's text use it too.
     */
    public static String oneLine(String message) {
        if (message == null) return "bad input";
        String line = message.strip().replaceAll("\\s*\\R\\s*", " ");
        if (line.regionMatches(true, 0, "error: ", 0, 7)) line = line.substring(7).strip();
        return Dsn.mask(line);
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
