package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.MaintenanceCommand.Action;
import dev.embedstream.maintenance.MaintenanceConfig;
import dev.embedstream.maintenance.MaintenanceExecutor;
import dev.embedstream.maintenance.MaintenancePlanner;
import dev.embedstream.maintenance.HistoryEntry;
import dev.embedstream.writer.VectorStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code embedstream maintenance status|run}: index maintenance by hand. */
@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = "Index maintenance: what each HNSW index needs now, and the history of what ran.",
        subcommands = {MaintenanceCommand.Status.class, MaintenanceCommand.Run.class})
public final class MaintenanceCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code maintenance status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each index: rows, dead tuples, m, validity, what the policy asks for now; then the latest actions.")
    public static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            AppConfig config = AppConfig.from(ConfigLookup.env());
            try (VectorStore store = VectorStore.open(config.writer())) {
                MaintenancePlanner planner = planner(store, config);
                print(planner.plan(), System.out);
                printHistory(planner.recent(10), System.out);
            }
            return 0;
        }
    }

    /** {@code maintenance run [--dry-run]}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run now what the policy asks for, one action at a time, without blocking writes"
                    + " (--dry-run: print it only).")
    public static final class Run implements Callable<Integer> {
        @Option(names = "--dry-run", description = "print the actions, run nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            AppConfig config = AppConfig.from(ConfigLookup.env());
            try (VectorStore store = VectorStore.open(config.writer())) {
                List<MaintenancePlanner.Planned> plan = planner(store, config).plan();
                List<MaintenancePlanner.Planned> todo = plan.stream().filter(p -> p.command().isPresent()).toList();
                if (todo.isEmpty()) {
                    System.out.printf("Nothing to do: %d indexes within their thresholds.%n", plan.size());
                    return 0;
                }
                // A dry run changes nothing, not even the history table's existence. What runs is told to
                // the running workers' policy (when there is a cluster), so they count from the new build.
                var events = dryRun ? null : config.kafka().map(MaintenanceCommand::eventProducer).orElse(null);
                MaintenanceExecutor executor = dryRun ? null : new MaintenanceExecutor(store.dataSource(),
                        config.writer().schema(), MaintenanceConfig.from(ConfigLookup.env()),
                        "cli-" + ProcessHandle.current().pid(), e -> {
                            if (events != null) {
                                events.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        config.kafka().get().topic(dev.embedstream.contracts.Topics.INDEX_EVENTS).name(),
                                        e.key(), e));
                            }
                        }, Clock.systemUTC());
                int failed = 0;
                for (MaintenancePlanner.Planned p : todo) {
                    var cmd = p.command().get();
                    System.out.printf("%s %s (%s): %s%n", dryRun ? "Would run" : "Running", cmd.action(), cmd.index(),
                            cmd.reason());
                    if (!dryRun) {
                        long start = System.nanoTime();
                        MaintenanceExecutor.Result r = executor.execute(cmd);
                        System.out.printf("  %s in %.1f s%s%n", r.outcome().name().toLowerCase(Locale.ROOT),
                                (System.nanoTime() - start) / 1e9, r.detail().isEmpty() ? "" : ": " + r.detail());
                        failed += r.outcome() == MaintenanceExecutor.Outcome.FAILED ? 1 : 0;
                    }
                }
                if (events != null) {
                    events.close(java.time.Duration.ofSeconds(10));
                }
                return failed == 0 ? 0 : 1;
            }
        }
    }

    private static org.apache.kafka.clients.producer.KafkaProducer<String, dev.embedstream.contracts.IndexEvent> eventProducer(
            dev.embedstream.contracts.KafkaSettings kafka) {
        var topic = kafka.topic(dev.embedstream.contracts.Topics.INDEX_EVENTS);
        return new org.apache.kafka.clients.producer.KafkaProducer<>(kafka.clientProperties("maintenance-cli"),
                topic.key().serializer(), topic.value().serializer());
    }

    private static MaintenancePlanner planner(VectorStore store, AppConfig config) {
        return new MaintenancePlanner(store.dataSource(), config.writer().schema(),
                MaintenanceConfig.from(ConfigLookup.env()), Clock.systemUTC());
    }

    static void print(List<MaintenancePlanner.Planned> plan, PrintStream out) {
        if (plan.isEmpty()) {
            out.println("No HNSW indexes yet.");
            return;
        }
        out.printf("%-20s %4s %-26s %5s %12s %10s %12s %4s  %s%n", "COLLECTION", "GEN", "INDEX", "VALID", "ROWS",
                "DEAD", "AT BUILD", "M", "NEEDS");
        for (MaintenancePlanner.Planned p : plan) {
            var s = p.state();
            out.printf(Locale.ROOT, "%-20s %4d %-26s %5s %,12d %,10d %12s %4d  %s%n", s.collection(), s.generation(),
                    s.index(), p.valid() ? "yes" : "NO", s.rows(), s.deadTuples(),
                    p.lastActions().stream().anyMatch(e -> "succeeded".equals(e.outcome()) && e.rowsAfter() != null
                            && !Action.VACUUM.name().equals(e.action()))
                            ? String.format(Locale.ROOT, "%,d", s.baselineRows()) : "-",
                    s.m(), p.command().map(c -> c.action() + ": " + c.reason()).orElse("nothing"));
        }
    }

    static void printHistory(List<HistoryEntry> entries, PrintStream out) {
        out.println();
        if (entries.isEmpty()) {
            out.println("No maintenance has run yet.");
            return;
        }
        out.println("Latest actions:");
        Instant now = Instant.now();
        for (HistoryEntry e : entries) {
            out.printf(Locale.ROOT, "  %-12s %-8s %-26s %-11s %8s  %s%s%n", HistoryEntry.ago(e.startedAt(), now),
                    e.action(), e.index(), e.outcome(),
                    e.durationMillis() == null ? "" : String.format(Locale.ROOT, "%.1f s", e.durationMillis() / 1000.0),
                    e.reason(), e.detail() == null || e.detail().isEmpty() ? "" : " [" + e.detail() + "]");
        }
    }
}
