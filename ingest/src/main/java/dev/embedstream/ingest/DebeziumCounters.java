package dev.embedstream.ingest;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a Debezium source did with the change events it read, since it started, as
 * {@code embedstream.debezium.events{collection, outcome}} when bound to a registry. Under Kafka
 * Streams' at-least-once processing, events read again after a crash or rebalance count again.
 */
public final class DebeziumCounters implements MeterBinder {

    private final String collection;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    public DebeziumCounters(String collection) {
        this.collection = collection;
    }

    /** Creates, snapshot reads and updates published as documents. */
    public long published() {
        return published.get();
    }

    /** Deletes and tombstones published as document tombstones (Debezium sends both for one delete). */
    public long deleted() {
        return deleted.get();
    }

    /** Updates that left the text and the metadata columns as they were: nothing to embed again. */
    public long skipped() {
        return skipped.get();
    }

    /** Events sent to the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    void countPublished() {
        published.incrementAndGet();
    }

    void countDeleted() {
        deleted.incrementAndGet();
    }

    void countSkipped() {
        skipped.incrementAndGet();
    }

    void countDeadLettered() {
        deadLettered.incrementAndGet();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "published", published);
        counter(registry, "deleted", deleted);
        counter(registry, "skipped", skipped);
        counter(registry, "dead_lettered", deadLettered);
    }

    private void counter(MeterRegistry registry, String outcome, AtomicLong count) {
        FunctionCounter.builder("embedstream.debezium.events", count, AtomicLong::get)
                .description("Debezium change events by what became of them (skipped: an update that left the text"
                        + " unchanged)")
                .tag("collection", collection)
                .tag("outcome", outcome)
                .register(registry);
    }
}
