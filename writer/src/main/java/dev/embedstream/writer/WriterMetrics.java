package dev.embedstream.writer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The writer's meters under {@code embedstream.writer.*}: documents by outcome (written, deleted,
 * unchanged, stale, dead-lettered), batches, batch retries, batch sizes and upsert latency. Pool metrics come from HikariCP's own
 * Micrometer binding ({@code hikaricp_*}).
 */
public final class WriterMetrics implements MeterBinder {

    private final WriterWorker worker;

    public WriterMetrics(WriterWorker worker) {
        this.worker = worker;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        worker.kafkaClientMetrics().forEach(m -> m.bindTo(registry));
        documents(registry, "written", WriterWorker.Stats::written);
        documents(registry, "deleted", WriterWorker.Stats::deleted);
        documents(registry, "unchanged", WriterWorker.Stats::unchanged);
        documents(registry, "stale", WriterWorker.Stats::stale);
        documents(registry, "dead_lettered", WriterWorker.Stats::deadLettered);
        FunctionCounter.builder("embedstream.writer.batches", worker, w -> w.stats().batches())
                .description("batches committed").register(registry);
        FunctionCounter.builder("embedstream.writer.batch.retries", worker, w -> w.stats().retries())
                .description("batches retried after a retriable failure").register(registry);
        worker.instrument(io.micrometer.core.instrument.Timer.builder("embedstream.writer.upsert.duration")
                        .description("time to write one batch in its database transaction")
                        .publishPercentileHistogram().register(registry),
                io.micrometer.core.instrument.DistributionSummary.builder("embedstream.writer.batch.size")
                        .description("records per writer batch").baseUnit("records").register(registry));
    }

    private void documents(MeterRegistry registry, String outcome, ToDoubleFunction<WriterWorker.Stats> value) {
        FunctionCounter.builder("embedstream.writer.documents", worker, w -> value.applyAsDouble(w.stats()))
                .description("documents handled by the writer, by outcome").tag("outcome", outcome).register(registry);
    }
}
