package lab;

/**
 * A server a lesson needs does not exist here (no Citus installed, the compose profile not started): not the user's
 * mistake and not a failure of the lab. A runbook prints the one-line reason and exits 1; the notebook replay reports
 * the lesson as skipped with that reason, and tests skip.
 */
public class ServerUnavailable extends RuntimeException {
    public ServerUnavailable(String reason) {
        super(reason);
    }
}
