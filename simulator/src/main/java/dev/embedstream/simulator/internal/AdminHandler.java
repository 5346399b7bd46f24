package dev.embedstream.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.embedstream.simulator.Faults;
import dev.embedstream.simulator.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/stats}, {@code GET /admin/faults} and {@code POST /admin/faults}. Unauthenticated: the server
 * only listens on loopback, and tests must be able to steer it whatever key they configured.
 */
final class AdminHandler implements HttpHandler {

    static final String PREFIX = "/admin/";
    private static final String STATS = "/admin/stats";
    private static final String FAULTS = "/admin/faults";
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final ObjectMapper mapper;
    private final OpenAiJson json;
    private final Supplier<Stats> stats;
    private final Supplier<Faults> faults;
    private final Consumer<Faults> setFaults;

    AdminHandler(ObjectMapper mapper, OpenAiJson json, Supplier<Stats> stats, Supplier<Faults> faults,
                 Consumer<Faults> setFaults) {
        this.mapper = mapper;
        this.json = json;
        this.stats = stats;
        this.faults = faults;
        this.setFaults = setFaults;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (ApiError error) {
            Routes.send(exchange, json, error);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException, ApiError {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (STATS.equals(path) && "GET".equals(method)) {
            sendOk(exchange, statsJson(stats.get()));
        } else if (FAULTS.equals(path) && "GET".equals(method)) {
            sendOk(exchange, FaultsJson.toJson(faults.get()));
        } else if (FAULTS.equals(path) && "POST".equals(method)) {
            Faults updated = parseFaults(Exchanges.readBody(exchange));
            setFaults.accept(updated);
            LOG.info("faults set through the admin endpoint: {}", updated);
            sendOk(exchange, FaultsJson.toJson(updated));
        } else if (STATS.equals(path) || FAULTS.equals(path)) {
            throw Routes.methodNotAllowed(exchange);
        } else {
            throw Routes.notFound(exchange);
        }
    }

    private static Faults parseFaults(byte[] body) throws ApiError {
        try {
            return FaultsJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
    }

    private ObjectNode statsJson(Stats snapshot) {
        ObjectNode root = mapper.createObjectNode();
        root.put("requests", snapshot.requests());
        root.put("ok", snapshot.ok());
        root.put("rateLimited", snapshot.rateLimited());
        root.put("serverErrors", snapshot.serverErrors());
        root.put("clientErrors", snapshot.clientErrors());
        root.put("dropped", snapshot.dropped());
        root.put("inputsEmbedded", snapshot.inputsEmbedded());
        root.put("tokensCharged", snapshot.tokensCharged());
        ArrayNode minutes = root.putArray("minutes");
        for (Stats.Minute minute : snapshot.minutes()) {
            minutes.add(minuteJson(minute));
        }
        return root;
    }

    private ObjectNode minuteJson(Stats.Minute minute) {
        ObjectNode node = mapper.createObjectNode();
        node.put("start", minute.start().toString());
        node.put("requests", minute.requests());
        node.put("ok", minute.ok());
        node.put("rateLimited", minute.rateLimited());
        node.put("serverErrors", minute.serverErrors());
        node.put("clientErrors", minute.clientErrors());
        node.put("dropped", minute.dropped());
        node.put("inputsEmbedded", minute.inputsEmbedded());
        node.put("tokensCharged", minute.tokensCharged());
        return node;
    }

    private void sendOk(HttpExchange exchange, ObjectNode body) throws IOException {
        Exchanges.sendJson(exchange, 200, mapper.writeValueAsBytes(body), Map.of());
    }
}
