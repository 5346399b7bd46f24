package dev.embedstream.maintenance;

import dev.embedstream.contracts.MaintenanceCommand.Action;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Maintenance actions by kind and outcome, and whether a build runs now, under {@code embedstream.maintenance}. */
public final class MaintenanceMetrics implements MeterBinder {

    private final MaintenanceExecutor executor;

    public MaintenanceMetrics(MaintenanceExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Action action : Action.values()) {
            for (MaintenanceExecutor.Outcome outcome : MaintenanceExecutor.Outcome.values()) {
                FunctionCounter.builder("embedstream.maintenance.actions", executor, e -> e.count(action, outcome))
                        .description("maintenance actions that ended, by action and outcome")
                        .tag("action", action.name().toLowerCase(java.util.Locale.ROOT))
                        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        }
        Gauge.builder("embedstream.maintenance.running", executor, e -> e.progress().isPresent() ? 1 : 0)
                .description("1 while this instance runs a maintenance action")
                .register(registry);
    }
}
