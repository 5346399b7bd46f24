package dev.embedstream.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The few things the handlers do with a JDK {@link HttpExchange}. */
final class Exchanges {

    /** Far above any valid request (300k tokens), low enough that a runaway client cannot exhaust the heap. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private Exchanges() {
    }

    static byte[] readBody(HttpExchange exchange) throws IOException, ApiError {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiError(413, "Request body exceeds " + MAX_BODY_BYTES + " bytes.",
                        ApiError.INVALID_REQUEST, null, null, Map.of());
            }
            return body;
        }
    }

    static void sendJson(HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Ends the exchange without a status line: the JDK server closes the socket when an exchange is closed before
     * its response headers were sent, which the client sees as the connection dropping mid-request.
     */
    static void drop(HttpExchange exchange) {
        exchange.close();
    }
}
