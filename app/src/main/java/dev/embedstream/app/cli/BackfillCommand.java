package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.internal.BackfillTables;
import dev.embedstream.app.internal.Context;
import dev.embedstream.app.internal.CoverageWait;
import dev.embedstream.app.internal.ProgressBar;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.TableBackfill;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream backfill NAME}: publishes the rows of a table-sourced collection that need embedding. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Scan the collection's source table in key order and publish the rows whose embedding is missing"
                + " or stale (for every live model); remove the vectors of deleted rows. Resumes after a crash."
                + " Without EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS the embedder and writer run in this process and the"
                + " command returns when coverage is complete.")
public final class BackfillCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "COLLECTION")
    String collection;

    @Option(names = "--dry-run", description = "print the counts (current, stale, missing, deleted) and publish nothing")
    boolean dryRun;

    @Option(names = "--watch", description = "after the scan, keep polling updated_at for new, changed and deleted rows")
    boolean watch;

    @Option(names = "--restart", description = "ignore the checkpoint of an interrupted run and scan from the start")
    boolean restart;

    @Option(names = "--batch-size", defaultValue = "500", description = "rows per page (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--poll-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "watch: time between polls, e.g. 500ms, 5s, 1m (default ${DEFAULT-VALUE})")
    Duration pollInterval;

    @Option(names = "--no-wait", description = "with an external cluster: return once published, without waiting for coverage")
    boolean noWait;

    @Override
    public Integer call() {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        if (dryRun) {
            return dryRun(config, System.out);
        }
        try (Context context = Context.open(config); DocumentPublisher publisher = new DocumentPublisher(context.kafka())) {
            CollectionInfo info = requireTableSourced(context.store(), collection);
            ProgressBar bar = ProgressBar.forConsole("backfill " + collection);
            TableBackfill backfill = new TableBackfill(context.store().dataSource(), config.writer().schema(), collection,
                    info.source(), () -> BackfillTables.liveDocsTables(context.store(), collection), publisher, batchSize,
                    p -> bar.update(p.scanned(), p.total()));
            String watermark = watch ? backfill.currentWatermark() : null;
            TableBackfill.Progress p = backfill.run(restart);
            bar.finish(p.scanned(), p.total());
            System.out.printf("Scanned %d rows%s: %d current, published %d (%d missing, %d stale), %d blank, %d dead-lettered,"
                            + " %d deletes.%n", p.scanned(), p.resumed() ? " (resumed from a checkpoint)" : "", p.current(),
                    p.published(), p.missing(), p.stale(), p.empty(), p.deadLettered(), p.deleted());
            if (context.inProcess() || !noWait) {
                awaitCoverage(context, info);
                buildDeferredIndexes(context.store(), collection);
            } else if (info.live().stream().anyMatch(g -> !g.indexBuilt())) {
                System.out.println("The HNSW index is built once the backfill is done: run `embedstream backfill "
                        + collection + "` again without --no-wait when the pipeline has caught up.");
            }
            if (watch) {
                watch(backfill, watermark);
            }
        }
        return 0;
    }

    /** The active generation of a new table collection is bulk-loaded without its index; now it gets one. */
    public static void buildDeferredIndexes(VectorStore store, String collection) {
        CollectionInfo now = store.collection(collection).orElseThrow();
        for (Generation g : now.live()) {
            if (!g.indexBuilt() && g.state() == Generation.State.ACTIVE) {
                System.out.printf("Building the HNSW index of %s (CREATE INDEX CONCURRENTLY after the bulk load;"
                        + " writes and searches go on)...%n", collection);
                long start = System.nanoTime();
                VectorStore.IndexBuild build = store.buildIndex(g);
                System.out.println(build.report((System.nanoTime() - start) / 1e9));
            }
        }
    }

    private void awaitCoverage(Context context, CollectionInfo info) {
        CoverageWait wait = new CoverageWait(context, Clock.systemUTC(), CoverageWait.DEFAULT_STALL);
        for (Generation g : info.live()) {
            var c = wait.await(collection, g.number(), "embedding " + collection + " (" + g.model().name() + ")",
                    CoverageWait::settled);
            System.out.printf("Coverage of %s with %s: %d/%d current (%.1f%%), %d dead-lettered.%n", collection,
                    c.model(), c.current(), c.total(), c.ratio() * 100, c.deadLettered());
        }
    }

    private void watch(TableBackfill backfill, String watermark) {
        AtomicBoolean stopped = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.set(true);
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "embedstream-backfill-stop"));
        System.out.println("Watching for new, changed and deleted rows every " + (pollInterval.toMillis() < 1000
                ? pollInterval.toMillis() + " ms" : pollInterval.toMillis() / 1000.0 + " s") + "; Ctrl-C stops.");
        backfill.watch(pollInterval, TableBackfill.DEFAULT_LOOKBACK, Duration.ofMinutes(1), stopped::get,
                Clock.systemUTC(), watermark);
    }

    private int dryRun(AppConfig config, PrintStream out) {
        try (VectorStore store = VectorStore.open(config.writer())) {
            CollectionInfo info = requireTableSourced(store, collection);
            TableBackfill.Progress p = new TableBackfill(store.dataSource(), config.writer().schema(), collection,
                    info.source(), () -> BackfillTables.liveDocsTables(store, collection), null, batchSize, x -> { }).run(false);
            out.printf("Dry run of %s (%s): %d rows; %d current, %d stale, %d missing, %d blank; %d documents to delete."
                            + " Nothing was published.%n", collection, info.source().qualifiedTable(), p.scanned(),
                    p.current(), p.stale(), p.missing(), p.empty(), p.deleted());
        }
        return 0;
    }

    static CollectionInfo requireTableSourced(VectorStore store, String collection) {
        CollectionInfo info = store.collection(collection).orElseThrow(() -> new InvalidInputException(
                "unknown collection '" + collection + "'; create it with `embedstream collection create`"));
        if (!info.isTableSourced()) {
            throw new InvalidInputException("collection '" + collection + "' is fed through the topic, not from a table;"
                    + " there is nothing to backfill");
        }
        return info;
    }
}
