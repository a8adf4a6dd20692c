package lab;

import java.nio.ByteBuffer;
import java.sql.SQLException;

/**
 * Rows in PostgreSQL's binary COPY format (the "COPY BINARY" section of the COPY reference page), assembled in
 * one reused buffer that goes to the server whenever it fills: no file, no row objects, no per-value allocation.
 * The server then stores the values as they are instead of parsing text, which is what makes binary COPY fast.
 */
final class BinaryCopyWriter {
    /** Where full buffers go: {@code CopyIn::writeToCopy} for a real COPY. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final short END_OF_DATA = -1;
    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for binary timestamps. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;
    private static final byte JSONB_VERSION = 1;

    private final ByteBuffer buffer;
    private final int rowHeadroom;
    private final Sink sink;
    private long sinkNanos;

    /**
     * @param capacity bytes sent per write to the server
     * @param maxRowBytes the largest row a caller will write: a row is never split across two writes' checks
     */
    BinaryCopyWriter(int capacity, int maxRowBytes, Sink sink) {
        this.buffer = ByteBuffer.allocate(capacity); // big-endian, as the format wants
        this.rowHeadroom = maxRowBytes;
        this.sink = sink;
    }

    void header() {
        buffer.put(SIGNATURE).putInt(0).putInt(0); // no flags, no header extension
    }

    /** Starts a row of {@code fields} values; makes room for it first. */
    void row(int fields) throws SQLException {
        if (buffer.remaining() < rowHeadroom) flush();
        buffer.putShort((short) fields);
    }

    void uuid(long mostSignificant, long leastSignificant) {
        buffer.putInt(16).putLong(mostSignificant).putLong(leastSignificant);
    }

    void int4(int value) {
        buffer.putInt(4).putInt(value);
    }

    void int8(long value) {
        buffer.putInt(8).putLong(value);
    }

    void timestamptz(long epochMicros) {
        buffer.putInt(8).putLong(epochMicros - POSTGRES_EPOCH_MICROS);
    }

    /** text, varchar: the UTF-8 bytes as they are. */
    void text(byte[] utf8) {
        buffer.putInt(utf8.length).put(utf8);
    }

    /** Opens a value whose length is known only once written (see {@link #endValue}); returns its mark. */
    int beginValue() {
        int mark = buffer.position();
        buffer.putInt(0);
        return mark;
    }

    /** jsonb's binary form is its JSON text after a version byte; json's is the text alone. */
    void jsonbVersion() {
        buffer.put(JSONB_VERSION);
    }

    void ascii(byte[] bytes) {
        buffer.put(bytes);
    }

    void ascii(char c) {
        buffer.put((byte) c);
    }

    /** A non-negative int as decimal digits, written straight into the buffer. */
    void digits(int value) {
        int length = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : Integer.toString(value).length();
        int end = buffer.position() + length;
        for (int i = end - 1; i >= buffer.position(); i--) {
            buffer.put(i, (byte) ('0' + value % 10));
            value /= 10;
        }
        buffer.position(end);
    }

    void endValue(int mark) {
        buffer.putInt(mark, buffer.position() - mark - 4);
    }

    void trailer() throws SQLException {
        if (buffer.remaining() < 2) flush();
        buffer.putShort(END_OF_DATA);
    }

    void flush() throws SQLException {
        if (buffer.position() == 0) return;
        long started = System.nanoTime();
        sink.write(buffer.array(), 0, buffer.position());
        sinkNanos += System.nanoTime() - started;
        buffer.clear();
    }

    /** Time spent handing buffers to the sink, i.e. waiting for the network and the server. */
    long sinkNanos() {
        return sinkNanos;
    }
}
