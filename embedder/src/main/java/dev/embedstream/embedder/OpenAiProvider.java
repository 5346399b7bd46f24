package dev.embedstream.embedder;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.internal.openai.CallFailure;
import dev.embedstream.embedder.internal.openai.Cl100kTokens;
import dev.embedstream.embedder.internal.openai.OpenAiCaller;
import dev.embedstream.embedder.internal.openai.RateGate;
import dev.embedstream.embedder.internal.openai.RateLimitHeaders;
import dev.embedstream.embedder.internal.openai.RequestPlanner;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from OpenAI or any OpenAI-compatible server. Inputs are packed into as few requests as
 * the caps allow and sent at the rate the limits allow (429/503 are waited out, never counted as
 * failures, never split); transient errors are retried with capped, jittered backoff behind a
 * circuit breaker; an input the provider refuses is isolated by splitting its request and
 * reported as failed, so it never fails the rest.
 */
public final class OpenAiProvider implements EmbeddingProvider {

    private static final Logger log = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /** Refusals with no success between them that mean the configuration, not the documents, is wrong. */
    static final int MAX_REFUSED_IN_A_ROW = 16;
    private final java.util.concurrent.atomic.AtomicInteger refusedInARow = new java.util.concurrent.atomic.AtomicInteger();

    private final OpenAiConfig config;
    private final ModelId model;
    private final Cl100kTokens tokenizer = new Cl100kTokens();
    private final RequestPlanner planner;
    private final RateGate gate;
    private final CircuitBreaker breaker;
    private final OpenAIClient client;
    private final OpenAiCaller caller;
    private final ExecutorService requests;
    private final Stats stats = new Stats();

    public OpenAiProvider(OpenAiConfig config) {
        this.config = config;
        this.model = new ModelId(config.model(), "api", config.effectiveDimensions(), config.maxTokensPerInput());
        this.planner = new RequestPlanner(config.maxInputsPerRequest(),
                Math.min(config.maxTokensPerRequest(), config.tpm()));
        this.gate = new RateGate("openai", config.rpm(), config.tpm(), config.maxRateLimitWait(), System::nanoTime);
        this.breaker = CircuitBreaker.of("openai", CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(config.breakerOpenWait())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(e -> e instanceof CallFailure f && f.kind() == CallFailure.Kind.TRANSIENT)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                stats.circuitOpened.incrementAndGet();
                log.warn("provider circuit breaker opened: calls pause for {}", config.breakerOpenWait());
            }
        });
        this.client = OpenAIOkHttpClient.builder()
                .baseUrl(config.baseUrl())
                .apiKey(config.apiKey())
                .maxRetries(0) // retrying is ours: the SDK's would ignore our limiter and breaker
                .timeout(config.requestTimeout())
                .build();
        this.caller = new OpenAiCaller(client, config.model(), config.dimensions(), config.effectiveDimensions());
        this.requests = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread t = new Thread(r, "embedstream-openai");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ModelId model() {
        return model;
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.count(text);
    }

    @Override
    public List<String> chunk(String text, int overlapTokens) {
        return tokenizer.chunk(text, config.maxTokensPerInput(), overlapTokens);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (EmbeddingResult r : embedEach(texts)) {
            if (!r.isOk()) {
                throw new IllegalArgumentException(r.failure());
            }
            vectors.add(r.vector());
        }
        return vectors;
    }

    @Override
    public List<EmbeddingResult> embedEach(List<String> texts) {
        EmbeddingResult[] results = new EmbeddingResult[texts.size()];
        int[] tokens = new int[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            tokens[i] = tokenizer.count(texts.get(i));
            if (tokens[i] > config.maxTokensPerInput()) {
                results[i] = EmbeddingResult.failed("input of " + tokens[i] + " tokens exceeds the model's "
                        + config.maxTokensPerInput() + "-token window");
            } else if (texts.get(i).isEmpty()) {
                results[i] = EmbeddingResult.failed("empty input");
            }
        }
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (results[i] == null) {
                todo.add(i);
            }
        }
        runPlanned(texts, tokens, todo, results);
        return List.of(results);
    }

    private void runPlanned(List<String> texts, int[] tokens, List<Integer> todo, EmbeddingResult[] results) {
        List<String> inputs = todo.stream().map(texts::get).toList();
        int[] todoTokens = todo.stream().mapToInt(i -> tokens[i]).toArray();
        List<Future<?>> futures = new ArrayList<>();
        for (RequestPlanner.Planned plan : planner.plan(inputs, todoTokens)) {
            List<Integer> positions = plan.positions().stream().map(todo::get).toList();
            futures.add(requests.submit(() -> {
                run(texts, tokens, positions, results);
                return null;
            }));
        }
        await(futures);
    }

    private void await(List<Future<?>> futures) {
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException("interrupted while embedding", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ProviderUnavailableException("embedding request failed", e.getCause());
        }
    }

    /** Runs one request to completion: its inputs end with a vector or a permanent failure, or it throws. */
    private void run(List<String> texts, int[] tokens, List<Integer> positions, EmbeddingResult[] results)
            throws InterruptedException {
        List<String> inputs = positions.stream().map(texts::get).toList();
        int tokenCount = positions.stream().mapToInt(i -> tokens[i]).sum();
        long waitDeadline = System.nanoTime() + config.maxRateLimitWait().toNanos();
        int attempts = 0;
        boolean admitted = false;
        while (true) {
            if (System.nanoTime() > waitDeadline) {
                throw new ProviderUnavailableException("a request kept being rate limited for longer than "
                        + config.maxRateLimitWait(), null);
            }
            long queuedAt = System.nanoTime();
            RateGate.Pass pass = gate.acquire(tokenCount, admitted).orElseThrow(() -> new ProviderUnavailableException(
                    "rate limits kept a request waiting longer than " + config.maxRateLimitWait(), null));
            admitted = true;
            long sentAt = System.nanoTime();
            try {
                stats.requests.incrementAndGet();
                OpenAiCaller.Reply reply = breaker.executeCheckedSupplier(() -> callOnLiveConnection(inputs));
                trace(tokenCount, queuedAt, sentAt, "ok", reply.headers());
                gate.settle(pass, true, reply.headers());
                record(positions, reply.vectors(), tokenCount, results);
                return;
            } catch (CallNotPermittedException e) {
                gate.settle(pass, false, RateLimitHeaders.NONE);
                throw new ProviderUnavailableException("circuit breaker open after repeated provider failures", e);
            } catch (CallFailure f) {
                trace(tokenCount, queuedAt, sentAt, f.kind() + " " + f.getMessage(), f.headers());
                gate.settle(pass, f.kind() != CallFailure.Kind.RATE_LIMITED, f.headers());
                attempts = handle(f, attempts, texts, tokens, positions, results);
                if (attempts < 0) {
                    return;
                }
            } catch (InterruptedException | RuntimeException | Error e) {
                gate.settle(pass, false, RateLimitHeaders.NONE);
                throw e;
            } catch (Throwable t) {
                gate.settle(pass, false, RateLimitHeaders.NONE);
                throw new IllegalStateException("unexpected provider error: " + t, t);
            }
        }
    }

    /**
     * A pooled connection the server closed while idle fails at once, before the provider saw the
     * request: that is retried at once on a fresh connection (what OkHttp would do, but the SDK
     * turns that off), so it never counts as a provider failure.
     */
    private OpenAiCaller.Reply callOnLiveConnection(List<String> inputs) throws CallFailure {
        try {
            return caller.call(inputs);
        } catch (CallFailure f) {
            if (!f.isStaleConnection()) {
                throw f;
            }
            stats.staleConnections.incrementAndGet();
            return caller.call(inputs);
        }
    }

    private void trace(int tokens, long queuedAt, long sentAt, String outcome, RateLimitHeaders headers) {
        if (log.isTraceEnabled()) {
            log.trace("{} tokens: waited {} ms, {} after {} ms, provider has {} tokens left, our share {}",
                    tokens, (sentAt - queuedAt) / 1_000_000, outcome, (System.nanoTime() - sentAt) / 1_000_000,
                    headers.remainingTokens(), String.format("%.2f", gate.tokenShare()));
        }
    }

    /** Decides the next step after a failure; returns the new attempt count, or -1 when the request is settled. */
    private int handle(CallFailure f, int attempts, List<String> texts, int[] tokens, List<Integer> positions,
                       EmbeddingResult[] results) throws InterruptedException {
        switch (f.kind()) {
            case RATE_LIMITED -> {
                stats.rateLimited.incrementAndGet();
                Duration wait = f.retryAfter() != null ? f.retryAfter() : Duration.ofSeconds(1);
                gate.pause(wait);
                return attempts;
            }
            case FATAL -> throw new ProviderConfigurationException("the provider refuses this configuration ("
                    + dev.embedstream.contracts.Texts.redactUrl(config.baseUrl()) + ", model " + config.model() + "): " + f.getMessage(), f);
            case BAD_REQUEST -> {
                isolate(f, texts, tokens, positions, results);
                return -1;
            }
            default -> {
                int next = attempts + 1;
                stats.retries.incrementAndGet();
                if (next >= config.maxAttempts()) {
                    if (f.kind() == CallFailure.Kind.BAD_REPLY) {
                        isolate(f, texts, tokens, positions, results);
                        return -1;
                    }
                    throw new ProviderUnavailableException("provider failed " + next + " times: " + f.getMessage(), f);
                }
                log.debug("provider request failed ({}), retry {} of {}", f.getMessage(), next, config.maxAttempts());
                sleep(backoff(next));
                return next;
            }
        }
    }

    /** Splits a refused request in halves until the inputs that cannot be embedded are found. */
    private void isolate(CallFailure f, List<String> texts, int[] tokens, List<Integer> positions,
                         EmbeddingResult[] results) throws InterruptedException {
        if (positions.size() == 1) {
            stats.failedInputs.incrementAndGet();
            if (refusedInARow.incrementAndGet() >= MAX_REFUSED_IN_A_ROW) {
                throw new ProviderConfigurationException("the provider refused " + MAX_REFUSED_IN_A_ROW + " inputs in a row"
                        + " and accepted none: this looks like configuration (model " + config.model() + ", dimensions "
                        + config.effectiveDimensions() + "), not bad documents. Last refusal: " + f.getMessage(), f);
            }
            results[positions.get(0)] = EmbeddingResult.failed("provider refused the input: " + f.getMessage());
            return;
        }
        int half = positions.size() / 2;
        run(texts, tokens, positions.subList(0, half), results);
        run(texts, tokens, positions.subList(half, positions.size()), results);
    }

    private volatile java.util.function.IntConsumer requestSizes = n -> { };

    /** Told the number of inputs of every successful request (for an inputs-per-request metric). */
    public void onRequestSize(java.util.function.IntConsumer listener) {
        this.requestSizes = listener;
    }

    private void record(List<Integer> positions, List<float[]> vectors, int tokenCount, EmbeddingResult[] results) {
        refusedInARow.set(0);
        requestSizes.accept(positions.size());
        for (int i = 0; i < positions.size(); i++) {
            results[positions.get(i)] = EmbeddingResult.ok(vectors.get(i));
        }
        stats.inputs.addAndGet(positions.size());
        stats.tokens.addAndGet(tokenCount);
        stats.succeeded.incrementAndGet();
    }

    private Duration backoff(int attempt) {
        long cap = config.backoffMax().toMillis();
        long exp = Math.min(cap, FIRST_BACKOFF.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** Counters since start. */
    public record Snapshot(long requests, long succeeded, long inputs, long tokens, long rateLimited, long retries,
                           long failedInputs, String circuitState, long circuitOpened, Duration limiterWait) {
    }

    public Snapshot stats() {
        return new Snapshot(stats.requests.get(), stats.succeeded.get(), stats.inputs.get(), stats.tokens.get(),
                stats.rateLimited.get(), stats.retries.get(), stats.failedInputs.get(), breaker.getState().name(),
                stats.circuitOpened.get(), gate.waited());
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    @Override
    public void close() {
        requests.shutdownNow();
        client.close();
    }

    private static final class Stats {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong inputs = new AtomicLong();
        final AtomicLong tokens = new AtomicLong();
        final AtomicLong rateLimited = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong failedInputs = new AtomicLong();
        final AtomicLong staleConnections = new AtomicLong();
        final AtomicLong circuitOpened = new AtomicLong();
    }
}
