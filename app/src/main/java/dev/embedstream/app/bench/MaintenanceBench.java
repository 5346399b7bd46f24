package dev.embedstream.app.bench;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.maintenance.EfSearchTuner;
import dev.embedstream.maintenance.MaintenanceConfig;
import dev.embedstream.maintenance.MaintenanceExecutor;
import dev.embedstream.writer.Change;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes during a concurrent reindex, as a fraction of writes without one (measured before and
 * after it, in the same run), and the ef_search tune table, on a collection of {@code rows} vectors.
 */
public final class MaintenanceBench {

    private static final String COLLECTION = "bench_maint";
    private static final ModelId MODEL = new ModelId("bench-maint-model", "fp32", 128, 256);
    private static final int BATCH = 100;
    private static final int TOPICS = 500;
    private static final double SPREAD = 2.0;
    private static final long WINDOW_NANOS = 8_000_000_000L;

    private final WriterConfig config;
    private final int rows;
    private final PrintStream out;
    private final AtomicLong nextId = new AtomicLong();
    /** One sequence for the whole run: a vector written twice would tie with itself and blur recall. */
    private final Random random = new Random(42);

    public MaintenanceBench(WriterConfig config, int rows, PrintStream out) {
        this.config = config;
        this.rows = rows;
        this.out = out;
    }

    public void run(BenchReport report) throws Exception {
        String schema = "bench_maint_" + Long.toHexString(System.nanoTime());
        WriterConfig writer = config.withSchema(schema);
        try (VectorStore store = VectorStore.open(writer)) {
            Generation g = store.ensureCollection(COLLECTION, null, Generation.PROVIDER_LOCAL, MODEL, 0, 16, 64).active();
            load(store, schema, g);
            double before = writesPerSecond(store, () -> System.nanoTime() > deadline());
            MaintenanceExecutor executor = new MaintenanceExecutor(store.dataSource(), schema,
                    MaintenanceConfig.defaults(), "bench", e -> { }, Clock.systemUTC());
            long start = System.nanoTime();
            CompletableFuture<MaintenanceExecutor.Result> reindex = CompletableFuture.supplyAsync(() -> executor.execute(
                    new MaintenanceCommand(COLLECTION, g.number(), g.indexName(), g.vectorTable(),
                            MaintenanceCommand.Action.REINDEX, "bench", rows, 16, 0, System.currentTimeMillis())));
            double during = writesPerSecond(store, reindex::isDone);
            double reindexSeconds = (System.nanoTime() - start) / 1e9;
            MaintenanceExecutor.Result result = reindex.get();
            if (result.outcome() != MaintenanceExecutor.Outcome.SUCCEEDED) {
                throw new IllegalStateException("the reindex did not succeed: " + result);
            }
            double after = writesPerSecond(store, () -> System.nanoTime() > deadline());
            double normal = (before + after) / 2;
            out.printf("maintenance: %,.0f docs/s before, %,.0f during the %.1f s reindex, %,.0f after%n", before, during,
                    reindexSeconds, after);
            report.ratio("writes during REINDEX CONCURRENTLY (" + rows + " x " + MODEL.dimensions() + "d)",
                    "writer docs/s during / without", during, "docs/s", during / normal, 0.5, true,
                    String.format("batches of %d through VectorStore.write; without = mean of %,.0f before and %,.0f"
                            + " after; reindex took %.1f s", BATCH, before, after, reindexSeconds));
            tune(store, schema, report);
            buildTimes(store, schema, g, report);
        } finally {
            BenchSchemas.dropSchema(writer, schema);
        }
    }

    /**
     * Scenario 6b: the same REINDEX CONCURRENTLY of the idle index, once in a session with pgvector's
     * documented defaults (PostgreSQL's maintenance_work_mem of 64 MB, two parallel workers), once by
     * the executor with its own settings (memory sized to the graph, no parallel workers on pgvector
     * below 0.8.2).
     */
    private void buildTimes(VectorStore store, String schema, Generation g, BenchReport report) throws Exception {
        String index = SqlIdentifiers.qualified(schema, g.indexName());
        long rowsNow;
        try (var c = store.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + SqlIdentifiers.qualified(schema, g.vectorTable()))) {
            rs.next();
            rowsNow = rs.getLong(1);
        }
        out.printf("maintenance: REINDEX CONCURRENTLY of %,d rows with pgvector's defaults…%n", rowsNow);
        long start = System.nanoTime();
        BenchSchemas.sql(store, "SET maintenance_work_mem = '64MB'", "SET max_parallel_maintenance_workers = 2",
                "REINDEX INDEX CONCURRENTLY " + index, "RESET maintenance_work_mem", "RESET max_parallel_maintenance_workers");
        double defaults = (System.nanoTime() - start) / 1e9;
        out.printf("maintenance: the same by the executor…%n");
        MaintenanceConfig config = MaintenanceConfig.from(dev.embedstream.contracts.ConfigLookup.of(
                Map.of(MaintenanceConfig.COOLDOWN, "1s")));
        MaintenanceExecutor executor = new MaintenanceExecutor(store.dataSource(), schema, config, "bench-build",
                e -> { }, Clock.systemUTC());
        start = System.nanoTime();
        MaintenanceExecutor.Result result = executor.execute(new MaintenanceCommand(COLLECTION, g.number(), g.indexName(),
                g.vectorTable(), MaintenanceCommand.Action.REINDEX, "bench", rowsNow, 16, 0, System.currentTimeMillis()));
        double tuned = (System.nanoTime() - start) / 1e9;
        if (result.outcome() != MaintenanceExecutor.Outcome.SUCCEEDED) {
            throw new IllegalStateException("the executor's reindex did not succeed: " + result);
        }
        report.reference("6 index build time", "REINDEX CONCURRENTLY, pgvector's defaults", defaults, "s",
                String.format("%,d rows x %d d, m=16 ef_construction=64; maintenance_work_mem 64 MB, 2 parallel workers",
                        rowsNow, MODEL.dimensions()));
        report.ratio("6 index build time", "the same by the executor", tuned, "s", tuned / defaults, 1.0, false,
                "executor: " + result.detail());
    }

    private long windowEnd;

    private long deadline() {
        return windowEnd;
    }

    /** Writes batches of new documents until {@code stop}; returns documents per second. */
    private double writesPerSecond(VectorStore store, java.util.function.BooleanSupplier stop) {
        windowEnd = System.nanoTime() + WINDOW_NANOS;
        long start = System.nanoTime();
        long written = 0;
        do {
            List<Change> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(new Change.Upsert(document("w" + nextId.incrementAndGet(), random)));
            }
            written += store.write(batch).documentsWritten();
        } while (!stop.getAsBoolean());
        return written / ((System.nanoTime() - start) / 1e9);
    }

    private static float[] centre(int topic) {
        Random r = new Random(topic);
        float[] v = new float[MODEL.dimensions()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static EmbeddedDocument document(String id, Random random) {
        float[] v = centre(random.nextInt(TOPICS));
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) ((random.nextDouble() - 0.5) * SPREAD);
        }
        String text = "bench " + id;
        return new EmbeddedDocument(COLLECTION, id, 1L, ContentHash.ofText(text + "#"), ContentHash.ofText(text), MODEL,
                Map.of(), List.of(new Chunk(0, text, v)), null, false, null);
    }

    /**
     * Bulk load first, index after (as pgvector advises). Vectors lie around {@value #TOPICS} topic
     * centres, as real embeddings cluster by subject; uniform random vectors would be HNSW's worst
     * case and say little about a real collection's recall.
     */
    private void load(VectorStore store, String schema, Generation g) throws SQLException {
        String vec = SqlIdentifiers.qualified(schema, g.vectorTable());
        String centres = SqlIdentifiers.qualified(schema, "bench_centres");
        long start = System.nanoTime();
        StringBuilder values = new StringBuilder();
        for (int t = 0; t < TOPICS; t++) {
            values.append(t == 0 ? "" : ",").append("(").append(t).append(", '").append(java.util.Arrays.toString(centre(t)))
                    .append("'::vector)");
        }
        BenchSchemas.sql(store, "CREATE TABLE " + centres + " (topic int PRIMARY KEY, v vector)",
                "INSERT INTO " + centres + " VALUES " + values,
                "DROP INDEX " + SqlIdentifiers.qualified(schema, g.indexName()),
                "INSERT INTO " + vec + " (doc_id, chunk_index, chunk_text, embedding) SELECT 'b' || i, 0, 'bench',"
                        + " (SELECT array_agg(x + (random() - 0.5) * " + SPREAD + " ORDER BY n)"
                        + " FROM unnest(c.v::real[]) WITH ORDINALITY AS u(x, n))::vector"
                        + " FROM generate_series(1, " + rows + ") i JOIN " + centres + " c ON c.topic = i % " + TOPICS,
                "SET maintenance_work_mem = '512MB'",
                "SET max_parallel_maintenance_workers = 0",
                "CREATE INDEX " + SqlIdentifiers.quote(g.indexName()) + " ON " + vec
                        + " USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)",
                "ANALYZE " + vec);
        out.printf("maintenance: %,d rows of %d dimensions loaded and indexed in %.1f s%n", rows, MODEL.dimensions(),
                (System.nanoTime() - start) / 1e9);
    }

    private void tune(VectorStore store, String schema, BenchReport report) {
        EfSearchTuner.Result r = new EfSearchTuner(store.dataSource(), schema).tune(COLLECTION, 100, 10,
                EfSearchTuner.DEFAULT_TARGET, EfSearchTuner.DEFAULT_VALUES, false);
        out.print(r.table());
        for (EfSearchTuner.Row row : r.rows()) {
            report.reference("tune ef_search on " + r.tableRows() + " rows", "ef_search " + row.efSearch() + ": recall@10 "
                    + String.format(java.util.Locale.ROOT, "%.3f", row.recall()), row.p50Millis(), "ms p50",
                    String.format(java.util.Locale.ROOT, "p95 %.2f ms; exact search p50 %.1f ms", row.p95Millis(),
                            r.exactP50Millis()));
        }
    }
}
