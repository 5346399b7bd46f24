package dev.embedstream.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;

/** OpenAI's answers for paths and methods it does not serve; also the server's catch-all handler. */
final class Routes implements HttpHandler {

    private final OpenAiJson json;

    Routes(OpenAiJson json) {
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            send(exchange, json, notFound(exchange));
        } finally {
            exchange.close();
        }
    }

    static ApiError notFound(HttpExchange exchange) {
        return new ApiError(404, "Invalid URL (" + describe(exchange) + ")", ApiError.INVALID_REQUEST, null, null,
                Map.of());
    }

    static ApiError methodNotAllowed(HttpExchange exchange) {
        return new ApiError(405, "Invalid method for URL (" + describe(exchange) + ")", ApiError.INVALID_REQUEST,
                null, null, Map.of());
    }

    static void send(HttpExchange exchange, OpenAiJson json, ApiError error) throws IOException {
        Exchanges.sendJson(exchange, error.status(), json.error(error), error.headers());
    }

    private static String describe(HttpExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    }
}
