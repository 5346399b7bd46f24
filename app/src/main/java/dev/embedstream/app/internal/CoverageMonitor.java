package dev.embedstream.app.internal;

import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.VectorStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the exact coverage of every collection on a schedule (never on a scrape: a scrape must
 * stay cheap) and exports it under {@code embedstream.coverage.*}, tagged by collection, role
 * (active or building) and model. {@code /status} serves the same figures.
 */
public final class CoverageMonitor implements MeterBinder, AutoCloseable {

    public static final String INTERVAL = "EMBEDSTREAM_COVERAGE_INTERVAL";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(CoverageMonitor.class);

    /** The latest measurement, or the reason there is none. */
    public record Snapshot(List<Coverage> coverage, Instant measuredAt, long millis, String error) {
    }

    private final VectorStore store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Snapshot latest = new Snapshot(List.of(), null, 0, "not measured yet");
    private volatile MultiGauge ratio;
    private volatile MultiGauge documents;
    private volatile MultiGauge oldest;

    public CoverageMonitor(VectorStore store, Clock clock, Duration interval) {
        this.store = store;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedstream-coverage");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ratio = MultiGauge.builder("embedstream.coverage.ratio")
                .description("documents current in a generation over the documents of its source (1 = complete)")
                .register(registry);
        documents = MultiGauge.builder("embedstream.coverage.documents")
                .description("documents of a generation by state: total, current, stale, missing, dead_lettered, orphaned")
                .baseUnit("documents").register(registry);
        oldest = MultiGauge.builder("embedstream.coverage.oldest.pending")
                .description("age of the oldest stale or missing document, when the source says when it changed")
                .baseUnit("seconds").register(registry);
        publish(latest);
    }

    public Snapshot latest() {
        return latest;
    }

    /** Measures now; also what the schedule runs. One collection's trouble does not hide the others. */
    public void refresh() {
        long start = System.nanoTime();
        try {
            List<Coverage> all = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String name : store.collections()) {
                try {
                    all.addAll(store.coverage(name));
                } catch (RuntimeException e) {
                    log.warn("measuring the coverage of {} failed: {}", name, e.toString());
                    errors.add(name + ": " + e.getMessage());
                    latest.coverage().stream().filter(c -> c.collection().equals(name)).forEach(all::add);
                }
            }
            latest = new Snapshot(List.copyOf(all), clock.instant(), (System.nanoTime() - start) / 1_000_000,
                    errors.isEmpty() ? null : String.join("; ", errors));
        } catch (RuntimeException e) {
            log.warn("measuring coverage failed: {}", e.toString());
            latest = new Snapshot(latest.coverage(), latest.measuredAt(), 0, e.getMessage());
        }
        try {
            publish(latest);
        } catch (RuntimeException e) {
            // an exception would end the schedule for good
            log.warn("publishing coverage gauges failed: {}", e.toString());
        }
    }

    private synchronized void publish(Snapshot s) {
        if (ratio == null) {
            return;
        }
        List<MultiGauge.Row<?>> ratios = new ArrayList<>();
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        for (Coverage c : s.coverage()) {
            Tags tags = Tags.of("collection", c.collection(), "role", c.role(), "model", c.model());
            ratios.add(MultiGauge.Row.of(tags, c.ratio()));
            counts.add(MultiGauge.Row.of(tags.and("state", "total"), c.total()));
            counts.add(MultiGauge.Row.of(tags.and("state", "current"), c.current()));
            counts.add(MultiGauge.Row.of(tags.and("state", "stale"), c.stale()));
            counts.add(MultiGauge.Row.of(tags.and("state", "missing"), c.missing()));
            counts.add(MultiGauge.Row.of(tags.and("state", "dead_lettered"), c.deadLettered()));
            counts.add(MultiGauge.Row.of(tags.and("state", "orphaned"), c.orphaned()));
            ages.add(MultiGauge.Row.of(tags, c.oldestPending() == null ? 0 : c.oldestPending().toMillis() / 1000.0));
        }
        ratio.register(ratios, true);
        documents.register(counts, true);
        oldest.register(ages, true);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
