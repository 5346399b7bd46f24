package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.maintenance.EfSearchTuner;
import dev.embedstream.writer.VectorStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream tune COLLECTION}: choose ef_search by measured recall and latency. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Measure recall@k against exact search and latency for a range of ef_search values on queries"
                + " sampled from the collection's stored vectors; store the smallest value meeting the target recall"
                + " for search to use.")
public final class TuneCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COLLECTION")
    String collection;

    @Option(names = "--target", defaultValue = "0.95", description = "recall to reach (default ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--queries", defaultValue = "100", description = "sampled queries (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--k", defaultValue = "10", description = "neighbours per query (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--ef", split = ",", description = "ef_search values to try (default 10,20,40,64,100,200,400)")
    List<Integer> values;

    @Option(names = "--dry-run", description = "print the table, store nothing")
    boolean dryRun;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        try (VectorStore store = VectorStore.open(config.writer())) {
            EfSearchTuner.Result r = new EfSearchTuner(store.dataSource(), config.writer().schema()).tune(collection,
                    queries, k, target, values == null || values.isEmpty() ? EfSearchTuner.DEFAULT_VALUES : values, !dryRun);
            System.out.print(r.table());
            if (r.chosen() != null) {
                System.out.println(dryRun ? "Not stored (--dry-run)." : "Stored: search on " + collection
                        + " now uses ef_search " + r.chosen() + " unless --ef-search is given.");
            }
            return r.chosen() == null ? 1 : 0;
        }
    }
}
