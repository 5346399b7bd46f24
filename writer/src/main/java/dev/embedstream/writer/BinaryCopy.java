package dev.embedstream.writer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Builds a PostgreSQL binary COPY stream: the fastest way to load rows, vectors sent as raw floats. */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int JSONB_VERSION = 1;

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;

    public BinaryCopy(int expectedBytes) {
        bytes = new ByteArrayOutputStream(Math.max(64, expectedBytes));
        out = new DataOutputStream(bytes);
        io(() -> {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
        });
    }

    public BinaryCopy row(int fields) {
        io(() -> out.writeShort(fields));
        return this;
    }

    public BinaryCopy text(String value) {
        if (value == null) {
            return nullField();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        io(() -> {
            out.writeInt(utf8.length);
            out.write(utf8);
        });
        return this;
    }

    public BinaryCopy int4(int value) {
        io(() -> {
            out.writeInt(4);
            out.writeInt(value);
        });
        return this;
    }

    public BinaryCopy bool(boolean value) {
        io(() -> {
            out.writeInt(1);
            out.writeByte(value ? 1 : 0);
        });
        return this;
    }

    public BinaryCopy int8(Long value) {
        if (value == null) {
            return nullField();
        }
        io(() -> {
            out.writeInt(8);
            out.writeLong(value);
        });
        return this;
    }

    public BinaryCopy jsonb(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        io(() -> {
            out.writeInt(utf8.length + 1);
            out.writeByte(JSONB_VERSION);
            out.write(utf8);
        });
        return this;
    }

    /** pgvector's binary form: int16 dimensions, int16 unused, then big-endian float4 values. */
    public BinaryCopy vector(float[] v) {
        io(() -> {
            out.writeInt(4 + 4 * v.length);
            out.writeShort(v.length);
            out.writeShort(0);
            for (float x : v) {
                out.writeFloat(x);
            }
        });
        return this;
    }

    public byte[] finish() {
        io(() -> {
            out.writeShort(-1);
            out.flush();
        });
        return bytes.toByteArray();
    }

    private BinaryCopy nullField() {
        io(() -> out.writeInt(-1));
        return this;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory COPY buffer failed", e);
        }
    }
}
