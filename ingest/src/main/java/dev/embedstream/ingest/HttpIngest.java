package dev.embedstream.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.DocumentId;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.ingest.internal.IngestBatch;
import dev.embedstream.ingest.internal.RequestBody;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP publish API: {@code POST /v1/collections/{collection}/documents} (a JSON array or NDJSON)
 * and {@code DELETE /v1/collections/{collection}/documents/{id}}. A reply comes only once Kafka has
 * acknowledged every accepted document, and says per input whether it was accepted, rejected (with
 * the reason; retrying will not help) or failed (Kafka did not acknowledge it; safe to retry).
 */
public final class HttpIngest implements HttpHandler, MeterBinder {

    /** Where the API lives; everything under it is this handler's. */
    public static final String PATH = "/v1/collections/";

    private static final Logger log = LoggerFactory.getLogger(HttpIngest.class);

    private final DocumentPublisher publisher;
    private final HttpIngestConfig config;
    private final byte[] token;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    // Publish requests wait for Kafka; a bound leaves the server's other threads to /health and /metrics.
    private final java.util.concurrent.Semaphore requests = new java.util.concurrent.Semaphore(MAX_CONCURRENT_REQUESTS);

    /** Publish requests served at once; more get 429. The server needs more threads than this. */
    public static final int MAX_CONCURRENT_REQUESTS = 8;

    /**
     * Turns on TCP_NODELAY for the JDK's HTTP server, unless the operator chose otherwise; call it
     * before the server is created. Without it a reply's headers and body leave as two small
     * segments and the client's delayed ACK holds the second for up to 40 ms: measured, 0.47 of a
     * bare producer's throughput with it off, 0.59 with it on.
     */
    public static void preferLowLatency() {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    /** Most bytes of a refused body read and thrown away; beyond it the connection is just closed. */
    private static final long DISCARD_LIMIT = 256L * 1024 * 1024;

    public HttpIngest(DocumentPublisher publisher, HttpIngestConfig config) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.config = Objects.requireNonNull(config, "config");
        this.token = config.token() == null ? null : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                error(exchange, 401, "missing or wrong bearer token (Authorization: Bearer <EMBEDSTREAM_INGEST_TOKEN>)");
                return;
            }
            route(exchange);
        } catch (RuntimeException e) {
            log.error("HTTP ingest failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            error(exchange, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath();
        if (!raw.startsWith(PATH)) { // the server matched the decoded path; %-encoded prefixes are not ours
            error(exchange, 404, "no such resource; use " + PATH + "{collection}/documents[/{id}]");
            return;
        }
        String[] parts = raw.substring(PATH.length()).split("/", -1);
        boolean documents = parts.length >= 2 && parts[1].equals("documents");
        if (!documents || parts.length > 3 || (parts.length == 3 && parts[2].isEmpty())) {
            error(exchange, 404, "no such resource; use " + PATH + "{collection}/documents[/{id}]");
            return;
        }
        String collection = decode(parts[0]);
        if (!CollectionName.isValid(collection)) {
            error(exchange, 400, invalidCollection(collection));
            return;
        }
        String method = exchange.getRequestMethod();
        if (parts.length == 2 && method.equals("POST")) {
            publish(exchange, collection);
        } else if (parts.length == 3 && method.equals("DELETE")) {
            delete(exchange, collection, decode(parts[2]));
        } else {
            exchange.getResponseHeaders().set("Allow", parts.length == 2 ? "POST" : "DELETE");
            error(exchange, 405, method + " is not allowed here");
        }
    }

    private static String invalidCollection(String collection) {
        try {
            CollectionName.requireValid(collection);
            return "invalid collection name";
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    private void publish(HttpExchange exchange, String collection) throws IOException {
        long declared = declaredLength(exchange);
        if (declared > config.maxBodyBytes()) {
            tooLarge(exchange, declared);
            return;
        }
        withinRequestLimit(exchange, () -> publishWithin(exchange, collection, declared));
    }

    /** An exchange step that may fail writing its reply. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code step} if fewer than {@link #MAX_CONCURRENT_REQUESTS} publish requests are being served, else 429. */
    private void withinRequestLimit(HttpExchange exchange, Step step) throws IOException {
        if (!requests.tryAcquire()) {
            throttle(exchange, "too many publish requests at once (" + MAX_CONCURRENT_REQUESTS + ")");
            return;
        }
        try {
            step.run();
        } finally {
            requests.release();
        }
    }

    /** Takes the body's bytes of the budget before reading it (its declared length, else its real one). */
    private void publishWithin(HttpExchange exchange, String collection, long declared) throws IOException {
        long reserved = Math.max(declared, 0);
        if (!reserve(reserved)) {
            throttle(exchange, "too many bytes waiting for Kafka's acknowledgement");
            return;
        }
        IngestBatch batch = null;
        String invalid = null;
        boolean tooLarge = false;
        try {
            byte[] body = RequestBody.read(exchange.getRequestBody(), config.maxBodyBytes(), declared);
            if (body == null) {
                tooLarge = true;
            } else {
                if (declared < 0) {
                    if (!reserve(body.length)) {
                        throttle(exchange, "too many bytes waiting for Kafka's acknowledgement");
                        return;
                    }
                    reserved = body.length;
                }
                batch = IngestBatch.parse(collection, body);
                batch.publish(publisher);
            }
        } catch (InvalidInputException e) {
            invalid = e.getMessage();
        } finally {
            release(reserved); // before the reply: a client slow to read it holds only its thread
        }
        if (tooLarge) {
            tooLarge(exchange, -1);
        } else if (invalid != null) {
            error(exchange, 400, invalid);
        } else {
            replyTo(exchange, batch);
        }
    }

    private void replyTo(HttpExchange exchange, IngestBatch batch) throws IOException {
        count(batch);
        int status = batch.failed() > 0 ? 503 : 200;
        if (status == 503) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(config.retryAfterSeconds()));
        }
        reply(exchange, status, batch);
    }

    private void throttle(HttpExchange exchange, String why) throws IOException {
        throttled.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(config.retryAfterSeconds()));
        error(exchange, 429, why + "; retry after " + config.retryAfterSeconds() + " s");
    }

    private void release(long bytes) {
        if (bytes > 0) {
            inFlightBytes.addAndGet(-bytes);
        }
    }

    private void count(IngestBatch batch) {
        accepted.addAndGet(batch.accepted());
        rejected.addAndGet(batch.rejected());
        failed.addAndGet(batch.failed());
    }

    private void delete(HttpExchange exchange, String collection, String id) throws IOException {
        try {
            DocumentId.requireValid(id);
        } catch (InvalidInputException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        withinRequestLimit(exchange, () -> {
            IngestBatch batch = IngestBatch.delete(collection, id);
            batch.publish(publisher);
            replyTo(exchange, batch);
        });
    }

    /** Takes {@code bytes} of the in-flight budget, or none if that would exceed it. */
    private boolean reserve(long bytes) {
        while (true) {
            long now = inFlightBytes.get();
            if (now > 0 && now + bytes > config.maxInFlightBytes()) {
                return false;
            }
            if (inFlightBytes.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private static long declaredLength(HttpExchange exchange) {
        // With Transfer-Encoding the server reads chunks and Content-Length means nothing (RFC 9112 6.3).
        // The JDK's server refuses a request with both (400, IngestApiIT); kept for any server that does not.
        if (exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            return -1;
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void tooLarge(HttpExchange exchange, long declared) throws IOException {
        error(exchange, 413, "request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "is over the limit of " + config.maxBodyBytes() + " bytes (" + HttpIngestConfig.MAX_BODY_BYTES
                + "); split it into several requests");
    }

    private static String decode(String raw) {
        return URI.create("/" + raw.replace("+", "%2B")).getPath().substring(1);
    }

    private static void error(HttpExchange exchange, int status, String reason) throws IOException {
        // A client still sending its body must be able to read the refusal, not a reset connection.
        RequestBody.discard(exchange.getRequestBody(), DISCARD_LIMIT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason);
        reply(exchange, status, body);
    }

    private static void reply(HttpExchange exchange, int status, IngestBatch batch) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, 0); // chunked: the reply is streamed
        try (OutputStream out = exchange.getResponseBody()) {
            batch.writeReply(out);
        }
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        documents(registry, "accepted", accepted);
        documents(registry, "rejected", rejected);
        documents(registry, "failed", failed);
        io.micrometer.core.instrument.Gauge.builder("embedstream.ingest.http.in.flight", inFlightBytes, AtomicLong::get)
                .description("bytes of requests received and not yet acknowledged by Kafka")
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("embedstream.ingest.http.throttled", throttled, AtomicLong::get)
                .description("publish requests refused with 429 because too many bytes awaited Kafka's acknowledgement")
                .register(registry);
    }

    private static void documents(MeterRegistry registry, String outcome, AtomicLong count) {
        FunctionCounter.builder("embedstream.ingest.http.documents", count, AtomicLong::get)
                .description("documents and deletes received over HTTP, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
