package dev.embedstream.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.embedstream.simulator.internal.OpenAiJson.Embedding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/embeddings}: authenticate, validate, (maybe) inject a 429, charge the key's budgets, (maybe) fail
 * or stall, then answer deterministic vectors (maybe corrupted). Failures injected after admission have already
 * been charged, as a real server that failed mid-request would have charged them.
 */
final class EmbeddingsHandler implements HttpHandler {

    static final String PATH = "/v1/embeddings";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingsHandler.class);
    private static final String ORGANIZATION = "org-embedstream-simulator";
    private static final String RATE_LIMIT_CODE = "rate_limit_exceeded";
    private static final int SALT_VECTOR = 1;
    private static final int SALT_VALUE = 2;
    private static final int SALT_MISSING = 3;

    private final Authenticator authenticator;
    private final RequestParser parser;
    private final RateLimits limits;
    private final FaultDice dice;
    private final StatsRecorder stats;
    private final OpenAiJson json;
    private final AtomicLong requestIds = new AtomicLong();

    EmbeddingsHandler(Authenticator authenticator, RequestParser parser, RateLimits limits, FaultDice dice,
                      StatsRecorder stats, OpenAiJson json) {
        this.authenticator = authenticator;
        this.parser = parser;
        this.limits = limits;
        this.dice = dice;
        this.stats = stats;
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            exchange.getResponseHeaders().set("x-request-id", "req_" + Long.toHexString(requestIds.incrementAndGet()));
            route(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Exchanges.drop(exchange);
        } catch (IOException | RuntimeException e) {
            LOG.warn("embeddings request failed inside the simulator", e);
            answerInternalError(exchange);
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            Routes.send(exchange, json, Routes.notFound(exchange));
            return;
        }
        stats.request();
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, Routes.methodNotAllowed(exchange), Map.of());
            return;
        }
        serve(exchange, dice.roll());
    }

    private void serve(HttpExchange exchange, FaultPlan plan) throws IOException, InterruptedException {
        String key;
        EmbeddingRequest request;
        try {
            key = authenticator.authenticate(exchange.getRequestHeaders());
        } catch (ApiError unauthorized) {
            answer(exchange, unauthorized, Map.of());
            return;
        }
        try {
            request = parser.parse(Exchanges.readBody(exchange), plan.faults().failMarker());
        } catch (ApiError invalid) {
            answer(exchange, invalid, limits.peek(key).headers());
            return;
        }
        if (plan.rateLimitStorm()) {
            RateSnapshot untouched = limits.peek(key);
            answer(exchange, injectedRateLimit(request, untouched, plan), untouched.headers());
            return;
        }
        admitAndServe(exchange, key, request, plan);
    }

    private void admitAndServe(HttpExchange exchange, String key, EmbeddingRequest request, FaultPlan plan)
            throws IOException, InterruptedException {
        RateDecision decision = limits.tryAcquire(key, request.totalTokens());
        Map<String, String> rateHeaders = decision.snapshot().headers();
        if (!decision.isAdmitted()) {
            answer(exchange, rateLimited(request, decision), rateHeaders);
            return;
        }
        stats.charged(request.totalTokens());
        if (dropped(exchange, plan)) {
            return;
        }
        ApiError serverFault = injectedServerError(plan);
        if (serverFault != null) {
            answer(exchange, serverFault, rateHeaders);
            return;
        }
        if (plan.slow()) {
            Thread.sleep(plan.faults().slowLatencyMs());
        }
        sendEmbeddings(exchange, request, plan, rateHeaders);
    }

    private boolean dropped(HttpExchange exchange, FaultPlan plan) throws InterruptedException {
        if (!plan.connectionReset() && !plan.timeout()) {
            return false;
        }
        stats.dropped();
        try {
            if (!plan.connectionReset()) {
                LOG.debug("injected timeout: holding the connection {} ms", plan.faults().timeoutMs());
                Thread.sleep(plan.faults().timeoutMs());
            }
        } finally {
            Exchanges.drop(exchange);
        }
        return true;
    }

    private static ApiError injectedServerError(FaultPlan plan) {
        if (plan.serverError()) {
            return new ApiError(500, "The server had an error while processing your request. Sorry about that!",
                    ApiError.SERVER_ERROR, null, null, Map.of());
        }
        if (plan.unavailable()) {
            return new ApiError(503, "The server is overloaded or not ready yet.", ApiError.SERVER_ERROR, null, null,
                    retryAfter(plan.faults().retryAfterMs() * 1_000_000L));
        }
        return null;
    }

    private void sendEmbeddings(HttpExchange exchange, EmbeddingRequest request, FaultPlan plan,
                                Map<String, String> rateHeaders) throws IOException {
        List<Embedding> data = embed(request, plan);
        byte[] body = json.embeddings(data, request.model().name(), request.totalTokens(), request.base64());
        if (plan.malformedJson()) {
            body = Arrays.copyOf(body, body.length / 2);
        }
        Exchanges.sendJson(exchange, 200, body, rateHeaders);
        stats.answered(200);
        stats.embedded(data.size());
    }

    private static List<Embedding> embed(EmbeddingRequest request, FaultPlan plan) {
        int dimensions = plan.wrongDimensions() ? wrong(request.dimensions()) : request.dimensions();
        List<Embedding> data = new ArrayList<>(request.inputs().size());
        for (int i = 0; i < request.inputs().size(); i++) {
            String key = request.inputs().get(i).vectorKey();
            data.add(new Embedding(i, Vectors.embed(request.model().name(), key, dimensions)));
        }
        if (plan.nan()) {
            float[] victim = data.get(plan.pickIndex(data.size(), SALT_VECTOR)).vector();
            victim[plan.pickIndex(victim.length, SALT_VALUE)] = Float.NaN;
        }
        if (plan.missingVectors()) {
            data.remove(plan.pickIndex(data.size(), SALT_MISSING));
        }
        return data;
    }

    /** One short, except that a 1-wide vector cannot shrink and grows instead. */
    private static int wrong(int dimensions) {
        return dimensions > 1 ? dimensions - 1 : dimensions + 1;
    }

    private static ApiError rateLimited(EmbeddingRequest request, RateDecision decision) {
        String limitName = decision.exceeded().description;
        String message = decision.neverFits()
                ? "Request too large for " + request.model().name() + " in organization " + ORGANIZATION + " on "
                        + limitName + ": Limit " + decision.limit() + ", Requested " + decision.requested()
                        + ". The input or output tokens must be reduced in order to run successfully."
                : "Rate limit reached for " + request.model().name() + " in organization " + ORGANIZATION + " on "
                        + limitName + ": Limit " + decision.limit() + ", Used " + decision.used() + ", Requested "
                        + decision.requested() + ". Please try again in "
                        + OpenAiDurations.format(decision.retryAfterNanos()) + ".";
        return new ApiError(429, message, decision.exceeded().errorType, null, RATE_LIMIT_CODE,
                retryAfter(decision.retryAfterNanos()));
    }

    private static ApiError injectedRateLimit(EmbeddingRequest request, RateSnapshot snapshot, FaultPlan plan) {
        long waitNanos = plan.faults().retryAfterMs() * 1_000_000L;
        String message = "Rate limit reached for " + request.model().name() + " in organization " + ORGANIZATION
                + " on " + RateDecision.LimitKind.REQUESTS.description + ": Limit " + snapshot.limitRequests()
                + ", Used " + (snapshot.limitRequests() - snapshot.remainingRequests()) + ", Requested 1. Please try "
                + "again in " + OpenAiDurations.format(waitNanos) + ". (injected by the simulator's 429 storm)";
        return new ApiError(429, message, RateDecision.LimitKind.REQUESTS.errorType, null, RATE_LIMIT_CODE,
                retryAfter(waitNanos));
    }

    private static Map<String, String> retryAfter(long nanos) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("retry-after", Long.toString(OpenAiDurations.ceilSeconds(nanos)));
        headers.put("retry-after-ms", Long.toString(OpenAiDurations.ceilMillis(nanos)));
        return headers;
    }

    private void answer(HttpExchange exchange, ApiError error, Map<String, String> rateHeaders) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(rateHeaders);
        headers.putAll(error.headers());
        Exchanges.sendJson(exchange, error.status(), json.error(error), headers);
        stats.answered(error.status());
    }

    private void answerInternalError(HttpExchange exchange) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            answer(exchange, new ApiError(500, "The simulator failed: see its log.", ApiError.SERVER_ERROR, null,
                    null, Map.of()), Map.of());
        } catch (IOException e) {
            LOG.debug("could not report an internal error to the client", e);
        }
    }
}
