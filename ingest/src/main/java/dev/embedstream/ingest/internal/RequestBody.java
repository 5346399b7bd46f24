package dev.embedstream.ingest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body up to a limit, so a client that lies about (or omits) its length cannot exhaust memory. */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * Reads a body whose length the client declared ({@code declared} >= 0) straight into an array of
     * that size, with one more byte's read to be sure it ends there; without a declared length (chunked),
     * as {@link #read(InputStream, int)}.
     *
     * @return the body, or null when it is longer than {@code limit} bytes
     */
    public static byte[] read(InputStream in, int limit, long declared) throws IOException {
        if (declared < 0) {
            return read(in, limit);
        }
        if (declared > limit) {
            return null;
        }
        byte[] body = in.readNBytes((int) declared);
        // The JDK server stops a fixed-length body at its length; a shorter one is a cut-off request.
        if (body.length < declared) {
            throw new java.io.EOFException("request body ended after " + body.length + " of " + declared + " bytes");
        }
        return in.read() < 0 ? body : null;
    }

    /** @return the body, or null when it is longer than {@code limit} bytes */
    public static byte[] read(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops up to {@code limit} more bytes. */
    public static void discard(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0 && total < limit; n = in.read(buffer)) {
            total += n;
        }
    }
}
