package dev.embedstream.writer;

import java.io.ByteArrayInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds a PostgreSQL binary COPY stream: the fastest way to load rows, vectors sent as raw floats. */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int JSONB_VERSION = 1;
    // COPY's binary format is big-endian; array views write a whole value per call (a batch of 500
    // vectors is 192,000 floats, which DataOutputStream wrote a byte-array call each)
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int size;
    private boolean finished;

    public BinaryCopy(int expectedBytes) {
        buf = new byte[Math.max(64, expectedBytes)];
        bytes(SIGNATURE);
        int4raw(0); // flags
        int4raw(0); // header extension length
    }

    public BinaryCopy row(int fields) {
        ensure(2);
        SHORT.set(buf, size, (short) fields);
        size += 2;
        return this;
    }

    public BinaryCopy text(String value) {
        if (value == null) {
            return nullField();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        int4raw(utf8.length);
        bytes(utf8);
        return this;
    }

    public BinaryCopy int4(int value) {
        int4raw(4);
        int4raw(value);
        return this;
    }

    public BinaryCopy bool(boolean value) {
        int4raw(1);
        ensure(1);
        buf[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    public BinaryCopy int8(Long value) {
        if (value == null) {
            return nullField();
        }
        int4raw(8);
        ensure(8);
        LONG.set(buf, size, value.longValue());
        size += 8;
        return this;
    }

    public BinaryCopy jsonb(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        int4raw(utf8.length + 1);
        ensure(1);
        buf[size++] = JSONB_VERSION;
        bytes(utf8);
        return this;
    }

    /** pgvector's binary form: int16 dimensions, int16 unused, then big-endian float4 values. */
    public BinaryCopy vector(float[] v) {
        int4raw(4 + 4 * v.length);
        ensure(4 + 4 * v.length);
        SHORT.set(buf, size, (short) v.length);
        SHORT.set(buf, size + 2, (short) 0);
        int at = size + 4;
        for (float x : v) {
            FLOAT.set(buf, at, x);
            at += 4;
        }
        size = at;
        return this;
    }

    /** The whole stream, trailer included, read in place (no copy of what may be megabytes). */
    public ByteArrayInputStream stream() {
        end();
        return new ByteArrayInputStream(buf, 0, size);
    }

    private void end() {
        if (!finished) {
            ensure(2);
            SHORT.set(buf, size, (short) -1);
            size += 2;
            finished = true;
        }
    }

    private BinaryCopy nullField() {
        int4raw(-1);
        return this;
    }

    private void int4raw(int value) {
        ensure(4);
        INT.set(buf, size, value);
        size += 4;
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (finished) {
            throw new IllegalStateException("the COPY stream is finished");
        }
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
