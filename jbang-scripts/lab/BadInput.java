package lab;

/** A user's mistake (bad month, unknown table, ...): runbooks print its message on one line and exit 2. */
public class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message);
    }
}
