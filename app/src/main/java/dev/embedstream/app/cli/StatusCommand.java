package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.internal.ProgressBar;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.Json;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.VectorStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream status}: exact embedding coverage of every collection and model. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print exact coverage per collection and model: total, current, stale, missing, dead-lettered,"
                + " orphaned (deleted, vectors not yet removed), the oldest pending change and the ratio.")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "COLLECTION", description = "one collection (default: all)")
    String collection;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        try (VectorStore store = VectorStore.open(config.writer())) {
            long start = System.nanoTime();
            List<Coverage> all = measure(store, collection);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (json) {
                System.out.println(Json.writeString(toJson(all)));
            } else {
                print(all, System.out);
                System.out.printf("(measured exactly in %d ms)%n", millis);
            }
        }
        return 0;
    }

    /** Coverage of one collection, or of all when {@code collection} is null. */
    public static List<Coverage> measure(VectorStore store, String collection) {
        List<Coverage> all = new ArrayList<>();
        for (String name : collection == null ? store.collections() : List.of(collection)) {
            all.addAll(store.coverage(name));
        }
        return all;
    }

    /** The coverage as JSON-ready maps, ratio included. */
    public static List<Map<String, Object>> toJson(List<Coverage> all) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Coverage c : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("collection", c.collection());
            m.put("generation", c.generation());
            m.put("model", c.model());
            m.put("role", c.role());
            m.put("total", c.total());
            m.put("current", c.current());
            m.put("stale", c.stale());
            m.put("missing", c.missing());
            m.put("deadLettered", c.deadLettered());
            m.put("orphaned", c.orphaned());
            m.put("oldestPendingSeconds", c.oldestPending() == null ? null : c.oldestPending().toSeconds());
            m.put("ratio", c.ratio());
            out.add(m);
        }
        return out;
    }

    /** A table a person reads at a glance. */
    public static void print(List<Coverage> all, PrintStream out) {
        if (all.isEmpty()) {
            out.println("No collections yet.");
            return;
        }
        String format = "%-24s %3s  %-32s %-8s %9s %9s %8s %8s %6s %8s %8s %8s%n";
        out.printf(format, "COLLECTION", "GEN", "MODEL", "ROLE", "TOTAL", "CURRENT", "STALE", "MISSING", "DEAD",
                "ORPHANED", "PENDING", "COVERAGE");
        for (Coverage c : all) {
            out.printf(format, c.collection(), c.generation(), c.model(), c.role(), c.total(), c.current(), c.stale(),
                    c.missing(), c.deadLettered(), c.orphaned(),
                    c.oldestPending() == null ? "-" : ProgressBar.formatDuration(c.oldestPending().toSeconds()),
                    String.format("%.1f%%", c.ratio() * 100));
        }
    }
}
