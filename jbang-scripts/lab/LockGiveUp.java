package lab;

/**
 * A step that needed a strong lock on a live table did not get it within its budget ({@link LockDiscipline}), so it
 * changed nothing. The message names the session in the way. Not bad input: runbooks exit 1.
 */
public final class LockGiveUp extends RuntimeException {
    public LockGiveUp(String message, Throwable cause) {
        super(message, cause);
    }
}
