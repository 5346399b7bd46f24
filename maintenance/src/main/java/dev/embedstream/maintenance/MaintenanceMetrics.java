package dev.embedstream.maintenance;

import dev.embedstream.contracts.MaintenanceCommand.Action;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Maintenance actions by kind and outcome, and whether a build runs now, under {@code embedstream.maintenance}. */
public final class MaintenanceMetrics implements MeterBinder {

    private final MaintenanceWorker worker;
    private final MaintenanceExecutor executor;

    public MaintenanceMetrics(MaintenanceWorker worker) {
        this.worker = worker;
        this.executor = worker.executor();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        MultiGauge size = MultiGauge.builder("embedstream.index.size").baseUnit("bytes")
                .description("size of each live generation's HNSW index, sampled with the table statistics")
                .register(registry);
        MultiGauge rows = MultiGauge.builder("embedstream.index.rows")
                .description("rows of each live generation's vector table by state (live, dead), from pg_stat_user_tables")
                .register(registry);
        worker.onSample(sample -> {
            size.register(sample.stream().map(s -> MultiGauge.Row.of(tags(s), s.bytes())).toList(), true);
            rows.register(sample.stream().flatMap(s -> java.util.stream.Stream.of(
                    MultiGauge.Row.of(tags(s).and("state", "live"), s.rows()),
                    MultiGauge.Row.of(tags(s).and("state", "dead"), s.deadTuples()))).toList(), true);
        });
        worker.streamsMetrics().bindTo(registry);
        for (Action action : Action.values()) {
            for (MaintenanceExecutor.Outcome outcome : MaintenanceExecutor.Outcome.values()) {
                FunctionCounter.builder("embedstream.maintenance.actions", executor, e -> e.count(action, outcome))
                        .description("maintenance actions that ended, by action and outcome")
                        .tag("action", action.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        }
        for (Action action : Action.values()) {
            FunctionCounter.builder("embedstream.maintenance.duration", executor, e -> e.seconds(action))
                    .description("seconds spent on maintenance actions (divide by the actions for the mean)")
                    .baseUnit("seconds").tag("action", action.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("embedstream.maintenance.running", executor, e -> e.progress().isPresent() ? 1 : 0)
                .description("1 while this instance runs a maintenance action")
                .register(registry);
    }

    private static Tags tags(MaintenanceWorker.IndexSize s) {
        return Tags.of("collection", s.collection(), "generation", Integer.toString(s.generation()));
    }
}
