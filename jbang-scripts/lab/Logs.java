package lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The libraries' logging, set before their first logger exists: warnings only, on stderr. HikariCP's
 * warning that it evicted a connection after SQLSTATE 0A000 is silenced, because lessons provoke that
 * error on purpose (the naive primary key) and the pool recovers by itself.
 */
public final class Logs {
    private Logs() {}

    public static void quiet() {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection", "error");
        // zonky logs a stack trace when it closes the handle of a server someone already stopped (EmbeddedServer.start
        // does that on purpose); its real failures reach the lab as exceptions, with the server's log named
        setDefault("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "off");
    }

    /**
     * In a runbook's own JVM: System.err, where the libraries log (slf4j-simple looks it up at each line), masks
     * passwords line by line ({@link Dsn#mask}), so that no log line or stack trace shows one.
     */
    public static synchronized void maskPasswords() {
        if (System.err instanceof MaskingStream) return;
        System.setErr(new MaskingStream(System.err));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    /** A PrintStream that passes whole lines (or what a flush or a progress bar's \r ends) on with passwords masked. */
    static final class MaskingStream extends PrintStream {
        MaskingStream(PrintStream target) {
            super(new LineMasking(target, Charset.defaultCharset()), true, Charset.defaultCharset());
        }
    }

    private static final class LineMasking extends OutputStream {
        private final PrintStream target;
        private final Charset charset;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineMasking(PrintStream target, Charset charset) {
            this.target = target;
            this.charset = charset;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n' || b == '\r') pass();
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) write(bytes[i]);
        }

        @Override
        public synchronized void flush() {
            pass();
            target.flush();
        }

        private void pass() {
            if (line.size() == 0) return;
            byte[] masked = Dsn.mask(line.toString(charset)).getBytes(charset);
            line.reset();
            target.write(masked, 0, masked.length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
