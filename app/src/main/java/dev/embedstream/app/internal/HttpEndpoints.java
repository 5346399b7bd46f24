package dev.embedstream.app.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.embedstream.app.Pipeline;
import dev.embedstream.contracts.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The all-in-one app's HTTP side, bound to localhost unless told otherwise: {@code /metrics}
 * (Prometheus), {@code /health/live}, {@code /health/ready} (503 with the reasons when the database,
 * the broker or a worker is not ready) and {@code /status} (what the workers have done).
 */
public final class HttpEndpoints implements AutoCloseable {

    private final HttpServer server;
    private final Pipeline pipeline;
    private final Admin admin;
    private final byte[] adminToken;

    private HttpEndpoints(HttpServer server, Pipeline pipeline, String adminToken) {
        this.server = server;
        this.pipeline = pipeline;
        this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.admin = Admin.create(pipeline.kafka().adminProperties(java.time.Duration.ofSeconds(3)));
    }

    /** Starts serving on {@code host:port} (port 0: a free one), without the mutating endpoints. */
    public static HttpEndpoints start(Pipeline pipeline, String host, int port) {
        return start(pipeline, host, port, null);
    }

    /**
     * As above; with an {@code adminToken}, also {@code POST /admin/maintenance/run} and
     * {@code POST /admin/dlq/retry}, each requiring {@code Authorization: Bearer <token>}.
     */
    public static HttpEndpoints start(Pipeline pipeline, String host, int port, String adminToken) {
        try {
            dev.embedstream.ingest.HttpIngest.preferLowLatency();
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            HttpEndpoints endpoints = new HttpEndpoints(server, pipeline, adminToken);
            server.createContext("/admin/maintenance/run", ex -> endpoints.admin(ex, endpoints::runMaintenance));
            server.createContext("/admin/dlq/retry", ex -> endpoints.admin(ex, endpoints::retryDeadLetters));
            server.createContext("/metrics", ex -> endpoints.reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                    pipeline.meters().scrape()));
            server.createContext("/", ex -> {
                if (!"/".equals(ex.getRequestURI().getPath())) {
                    endpoints.reply(ex, 404, "text/plain; charset=utf-8", "not found");
                } else {
                    endpoints.reply(ex, 200, "text/html; charset=utf-8", page());
                }
            });
            pipeline.httpIngest().ifPresent(ingest -> server.createContext(dev.embedstream.ingest.HttpIngest.PATH, ingest));
            server.createContext("/health/live", ex -> endpoints.reply(ex, 200, "application/json", "{\"status\":\"UP\"}"));
            server.createContext("/health/ready", endpoints::ready);
            server.createContext("/status", ex -> endpoints.reply(ex, 200, "application/json",
                    Json.writeString(endpoints.status())));
            // A publish request holds its thread until Kafka acknowledges it, so several run at once.
            // Publish requests (at most HttpIngest.MAX_CONCURRENT_REQUESTS) wait for Kafka; the rest stay for
            // /health and /metrics, which must answer while Kafka is slow.
            server.setExecutor(Executors.newFixedThreadPool(pipeline.httpIngest().isPresent()
                    ? dev.embedstream.ingest.HttpIngest.MAX_CONCURRENT_REQUESTS + 2 : 2, r -> {
                Thread t = new Thread(r, "embedstream-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return endpoints;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve HTTP on " + host + ":" + port, e);
        }
    }

    /** The status page: static HTML that reads {@code /status} itself, so it needs no build step. */
    private static String page() {
        try (var in = HttpEndpoints.class.getResourceAsStream("/web/status.html")) {
            if (in == null) {
                throw new IllegalStateException("status page missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Action {
        Map<String, Object> run() throws Exception;
    }

    /** Mutating endpoints: off without a token; POST with the bearer token only. */
    private void admin(HttpExchange ex, Action action) throws IOException {
        if (adminToken == null) {
            reply(ex, 404, "application/json", "{\"error\":\"admin endpoints are off; set "
                    + dev.embedstream.app.cli.RunCommand.HTTP_ADMIN_TOKEN + " to enable them\"}");
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            reply(ex, 405, "application/json", "{\"error\":\"use POST\"}");
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        if (!java.security.MessageDigest.isEqual(given, adminToken)) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            reply(ex, 401, "application/json", "{\"error\":\"missing or wrong bearer token\"}");
            return;
        }
        try {
            Map<String, Object> result = action.run();
            reply(ex, (Integer) result.remove("code"), "application/json", Json.writeString(result));
        } catch (Exception e) {
            reply(ex, 500, "application/json", Json.writeString(Map.of("error", String.valueOf(e.getMessage()))));
        }
    }

    /**
     * Queues what the maintenance policy asks for now (from the table statistics and the history)
     * on the commands topic: the workers run it, one action per index at a time.
     */
    private Map<String, Object> runMaintenance() throws Exception {
        var planner = new dev.embedstream.maintenance.MaintenancePlanner(pipeline.store().dataSource(),
                pipeline.config().writer().schema(), dev.embedstream.maintenance.MaintenanceConfig.from(
                dev.embedstream.contracts.ConfigLookup.env()), java.time.Clock.systemUTC());
        var topic = pipeline.kafka().topic(dev.embedstream.contracts.Topics.MAINTENANCE_COMMANDS);
        java.util.List<Map<String, Object>> queued = new java.util.ArrayList<>();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                pipeline.kafka().clientProperties("http-admin"), topic.key().serializer(), topic.value().serializer())) {
            for (var p : planner.plan()) {
                if (p.command().isPresent()) {
                    var cmd = p.command().get();
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic.name(), cmd.key(), cmd))
                            .get(10, TimeUnit.SECONDS);
                    queued.add(Map.of("index", cmd.index(), "action", cmd.action().name(), "reason", cmd.reason()));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 202);
        body.put("queued", queued);
        return body;
    }

    private Map<String, Object> retryDeadLetters() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 200);
        var replay = dev.embedstream.app.cli.DlqCommand.replay(pipeline.kafka());
        body.put("replayed", replay.replayed());
        body.put("notReplayable", replay.notReplayable());
        return body;
    }

    /** Records each worker group has not processed yet, from the broker. */
    private Map<String, Object> lag() {
        Map<String, Object> lag = new LinkedHashMap<>();
        var kafka = pipeline.kafka();
        var config = pipeline.config();
        lag.put("embedder", lagOf(config.embedder().groupId(), kafka.topic(dev.embedstream.contracts.Topics.DOCUMENTS).name()));
        lag.put("writer", lagOf(config.writer().groupId(), kafka.topic(dev.embedstream.contracts.Topics.EMBEDDINGS).name()));
        return lag;
    }

    private Object lagOf(String group, String topic) {
        try {
            return dev.embedstream.contracts.ConsumerLag.of(admin, group, topic);
        } catch (RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /** The database pool: connections in use, idle, and callers waiting for one. */
    private Map<String, Object> pool() {
        Map<String, Object> pool = new LinkedHashMap<>();
        if (pipeline.store().dataSource() instanceof com.zaxxer.hikari.HikariDataSource hikari
                && hikari.getHikariPoolMXBean() != null) {
            var mx = hikari.getHikariPoolMXBean();
            pool.put("active", mx.getActiveConnections());
            pool.put("idle", mx.getIdleConnections());
            pool.put("total", mx.getTotalConnections());
            pool.put("max", hikari.getMaximumPoolSize());
            pool.put("waiting", mx.getThreadsAwaitingConnection());
        }
        return pool;
    }

    /** The build running here now, and the latest actions of every instance (the history table). */
    private java.util.Map<String, Object> maintenance() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        var worker = pipeline.maintenance();
        m.put("enabled", worker != null);
        m.put("running", worker == null ? null : worker.progress().map(p -> p.describe()).orElse(null));
        try {
            var planner = new dev.embedstream.maintenance.MaintenancePlanner(pipeline.store().dataSource(),
                    pipeline.config().writer().schema(), dev.embedstream.maintenance.MaintenanceConfig.defaults(),
                    java.time.Clock.systemUTC());
            java.util.List<java.util.Map<String, Object>> recent = new java.util.ArrayList<>();
            for (var e : planner.recent(10)) {
                java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
                r.put("startedAt", e.startedAt().toString());
                r.put("collection", e.collection());
                r.put("generation", e.generation());
                r.put("index", e.index());
                r.put("action", e.action());
                r.put("outcome", e.outcome());
                r.put("reason", e.reason());
                r.put("detail", e.detail());
                r.put("durationSeconds", e.durationMillis() == null ? null : e.durationMillis() / 1000.0);
                r.put("instance", e.instance());
                recent.add(r);
            }
            m.put("recent", recent);
        } catch (RuntimeException e) {
            m.put("error", e.getMessage());
        }
        return m;
    }

    private void ready(HttpExchange exchange) throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, "database", this::checkDatabase);
        check(problems, "broker", this::checkBroker);
        if (pipeline.embedder() != null && !pipeline.embedder().isRunning()) {
            problems.put("embedder", "stopped: " + pipeline.embedder().failure());
        } else if (pipeline.embedder() != null && !pipeline.embedder().hasJoinedGroup()) {
            problems.put("embedder", "waiting for its consumer group assignment");
        }
        if (pipeline.writer() != null && !pipeline.writer().isRunning()) {
            problems.put("writer", "stopped: " + pipeline.writer().failure());
        } else if (pipeline.writer() != null && !pipeline.writer().hasJoinedGroup()) {
            problems.put("writer", "waiting for its consumer group assignment");
        }
        var maintenance = pipeline.maintenance();
        if (maintenance != null && !maintenance.isRunning()) {
            problems.put("maintenance", "stopped" + (maintenance.failure() == null ? "" : ": " + maintenance.failure()));
        }
        if (pipeline.provider() instanceof dev.embedstream.embedder.OpenAiProvider openai
                && "OPEN".equals(openai.stats().circuitState())) {
            problems.put("provider", "circuit breaker open");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", problems.isEmpty() ? "READY" : "NOT_READY");
        body.put("problems", problems);
        reply(exchange, problems.isEmpty() ? 200 : 503, "application/json", Json.writeString(body));
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void check(Map<String, String> problems, String name, Check check) {
        try {
            check.run();
        } catch (Exception e) {
            problems.put(name, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void checkDatabase() throws Exception {
        try (Connection c = pipeline.store().dataSource().getConnection(); var st = c.createStatement()) {
            st.setQueryTimeout(3);
            st.execute("SELECT 1");
        }
    }

    private void checkBroker() throws Exception {
        admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
    }

    private Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("pgvector", String.valueOf(pipeline.store().pgvectorVersion()));
        java.util.List<Map<String, Object>> collections = new java.util.ArrayList<>();
        for (String name : pipeline.store().collections()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("model", pipeline.store().collection(name).map(i -> i.model().key()).orElse(""));
            c.put("documents", pipeline.store().countDocuments(name));
            collections.add(c);
        }
        status.put("collections", collections);
        var coverage = pipeline.coverage().latest();
        Map<String, Object> cov = new LinkedHashMap<>();
        cov.put("measuredAt", coverage.measuredAt() == null ? null : coverage.measuredAt().toString());
        cov.put("millis", coverage.millis());
        cov.put("error", coverage.error());
        cov.put("generations", dev.embedstream.app.cli.StatusCommand.toJson(coverage.coverage()));
        status.put("coverage", cov);
        status.put("maintenance", maintenance());
        status.put("lag", lag());
        status.put("pool", pool());
        var health = pipeline.indexHealth();
        if (health != null) {
            status.put("indexWarnings", health.warnings());
        }
        status.put("workers", pipeline.workers());
        status.put("model", pipeline.provider() == null ? null : pipeline.provider().model().key());
        status.put("embedder", pipeline.embedder() == null ? null : pipeline.embedder().stats());
        status.put("writer", pipeline.writer() == null ? null : pipeline.writer().stats());
        if (pipeline.provider() instanceof dev.embedstream.embedder.OpenAiProvider openai) {
            var p = openai.stats();
            Map<String, Object> provider = new LinkedHashMap<>();
            provider.put("requests", p.requests());
            provider.put("tokens", p.tokens());
            provider.put("inputs", p.inputs());
            provider.put("rateLimited", p.rateLimited());
            provider.put("retries", p.retries());
            provider.put("failedInputs", p.failedInputs());
            provider.put("circuitState", p.circuitState());
            provider.put("limiterWaitSeconds", p.limiterWait().toMillis() / 1000.0);
            status.put("provider", provider);
        }
        return status;
    }

    private void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        admin.close();
    }
}
