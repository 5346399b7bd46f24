package dev.embedstream.embedder;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The embedder's meters, under {@code embedstream.embedder.*} and {@code embedstream.provider.*}:
 * documents by outcome, chunks, batches and their retries; for the OpenAI-compatible provider also
 * requests, tokens, inputs per request, 429s, retries, refused inputs, circuit state and the time
 * spent waiting for the rate limiters.
 */
public final class EmbedderMetrics implements MeterBinder {

    private final EmbedderWorker worker;
    private final EmbeddingProvider provider;

    public EmbedderMetrics(EmbedderWorker worker, EmbeddingProvider provider) {
        this.worker = worker;
        this.provider = provider;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        worker.kafkaClientMetrics().forEach(m -> m.bindTo(registry));
        String model = provider.model().key();
        documents(registry, "embedded", s -> s.embedded(), model);
        documents(registry, "skipped", s -> s.skipped(), model);
        documents(registry, "dead_lettered", s -> s.deadLettered(), model);
        documents(registry, "deleted", s -> s.deletes(), model);
        counter(registry, "embedstream.embedder.chunks", "chunks embedded", worker, w -> w.stats().chunks(), model);
        worker.instrument(io.micrometer.core.instrument.Timer.builder("embedstream.embedder.embed.duration")
                        .description("time to embed one batch (all its models)").tag("model", model)
                        .publishPercentileHistogram().register(registry),
                io.micrometer.core.instrument.DistributionSummary.builder("embedstream.embedder.batch.size")
                        .description("records per embedder batch").baseUnit("records").tag("model", model)
                        .register(registry));
        counter(registry, "embedstream.embedder.batches", "batches done", worker, w -> w.stats().batches(), model);
        counter(registry, "embedstream.embedder.batch.retries", "batches retried after a retriable failure", worker,
                w -> w.stats().retries(), model);
        if (provider instanceof OpenAiProvider openai) {
            bindProvider(registry, openai, model);
        }
    }

    private void documents(MeterRegistry registry, String outcome, ToDoubleFunction<EmbedderWorker.Stats> value,
                           String model) {
        FunctionCounter.builder("embedstream.embedder.documents", worker, w -> value.applyAsDouble(w.stats()))
                .description("documents handled by the embedder, by outcome")
                .tag("outcome", outcome).tag("model", model).register(registry);
    }

    private static void bindProvider(MeterRegistry registry, OpenAiProvider p, String model) {
        counter(registry, "embedstream.provider.requests", "requests sent to the provider", p, x -> x.stats().requests(), model);
        counter(registry, "embedstream.provider.tokens", "tokens embedded", p, x -> x.stats().tokens(), model);
        counter(registry, "embedstream.provider.inputs", "inputs embedded", p, x -> x.stats().inputs(), model);
        counter(registry, "embedstream.provider.rate.limited", "429 and 503 replies (waited out)", p,
                x -> x.stats().rateLimited(), model);
        counter(registry, "embedstream.provider.retries", "retries after transient failures", p, x -> x.stats().retries(), model);
        counter(registry, "embedstream.provider.failed.inputs", "inputs the provider refused for good", p,
                x -> x.stats().failedInputs(), model);
        counter(registry, "embedstream.provider.circuit.opened", "times the circuit breaker opened", p,
                x -> x.stats().circuitOpened(), model);
        FunctionCounter.builder("embedstream.provider.limiter.wait", p, x -> x.stats().limiterWait().toNanos() / 1e9)
                .description("time spent waiting for the rate limiters").baseUnit("seconds").tag("model", model)
                .register(registry);
        Gauge.builder("embedstream.provider.circuit.state", p, x -> circuitState(x.stats().circuitState()))
                .description("circuit breaker state: 0 closed, 1 open, 2 half-open, 3 other").tag("model", model)
                .register(registry);
        DistributionSummary inputs = DistributionSummary.builder("embedstream.provider.request.inputs")
                .description("inputs per provider request").tag("model", model).register(registry);
        p.onRequestSize(inputs::record);
    }

    static double circuitState(String state) {
        return switch (state) {
            case "CLOSED" -> 0;
            case "OPEN" -> 1;
            case "HALF_OPEN" -> 2;
            default -> 3;
        };
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T target,
                                    ToDoubleFunction<T> value, String model) {
        FunctionCounter.builder(name, target, value).description(description).tag("model", model).register(registry);
    }
}
