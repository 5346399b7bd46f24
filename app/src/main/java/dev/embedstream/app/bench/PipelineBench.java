package dev.embedstream.app.bench;

import dev.embedstream.app.corpus.SampleCorpus;
import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.EmbedderWorker;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.KnownContent;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import dev.embedstream.writer.WriterWorker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scenarios 2, 3 and 7: documents through publish → embedder → writer → committed rows, timed from
 * the first publish to the last row, against the writer alone (a zero-cost embedder, so what is
 * left is the pipeline's own overhead), against the local model called in a tight loop, and at
 * growing sizes.
 */
public final class PipelineBench {

    private static final String COLLECTION = "bench_pipeline";

    private final KafkaSettings kafka;
    private final WriterConfig writerConfig;
    private final EmbedderConfig embedderConfig;
    private final PrintStream log;
    private String lastBreakdown = "";

    public PipelineBench(KafkaSettings kafka, WriterConfig writerConfig, EmbedderConfig embedderConfig, PrintStream log) {
        this.kafka = kafka;
        this.writerConfig = writerConfig;
        this.embedderConfig = embedderConfig;
        this.log = log;
    }

    /** Scenario 2, and scenario 7 over {@code sizes} (the smallest is the overhead run's size). */
    public void overheadAndScaling(BenchReport report, List<Integer> sizes) throws Exception {
        List<Integer> ordered = sizes.stream().sorted().toList();
        int base = ordered.get(0);
        try (VectorStore store = VectorStore.open(writerConfig); HashingEmbedder hashing = new HashingEmbedder()) {
            List<SampleCorpus.Entry> docs = SampleCorpus.generate(base, 11);
            log.printf("  writer alone: %,d embedded documents → committed rows…%n", base);
            double writerSeconds = writerAlone(store, hashing, docs);
            log.printf("  pipeline, zero-cost embedder: %,d documents published → committed rows…%n", base);
            double pipelineSeconds = pipeline(store, hashing, BenchDoc.of(docs));
            String baseBreakdown = lastBreakdown;
            Probe baseCopy = copyMore(store, hashing, "base");
            double writerRate = base / writerSeconds;
            double pipelineRate = base / pipelineSeconds;
            report.reference("2 pipeline overhead", "writer alone (embedded docs → rows)", writerRate, "docs/s",
                    String.format("%,d docs, %.1f s, HNSW-indexed, first record to last committed row", base, writerSeconds));
            report.ratio("2 pipeline overhead", "publish → embedder → writer → rows", pipelineRate, "docs/s",
                    pipelineRate / writerRate, 0.7, true, String.format("%,d docs, %.1f s, zero-cost deterministic embedder; %s",
                            base, pipelineSeconds, baseBreakdown));
            List<SizeRun> runs = new ArrayList<>();
            for (int size : ordered.subList(1, ordered.size())) {
                log.printf("  pipeline, zero-cost embedder: %,d documents…%n", size);
                double seconds = pipeline(store, hashing, BenchDoc.of(SampleCorpus.generate(size, 11)));
                runs.add(new SizeRun(size, seconds, lastBreakdown, copyMore(store, hashing, "at-" + size)));
            }
            if (runs.isEmpty()) {
                store.dropCollection(COLLECTION);
                return;
            }
            // The base runs again after the large sizes, and each base figure is the mean of its two runs:
            // the machine's speed drifted by a third over the minutes of one run (the 10,000-document
            // run once took 2.3 ms a document, against 1.5-1.7 in the runs before it).
            log.printf("  pipeline, zero-cost embedder: %,d documents again, after the larger sizes…%n", base);
            double baseAgain = pipeline(store, hashing, BenchDoc.of(docs));
            Probe baseCopyAgain = copyMore(store, hashing, "base-again");
            double basePerDoc = (pipelineSeconds + baseAgain) / 2 / base;
            Probe baseCopyMean = Probe.meanOf(baseCopy, baseCopyAgain);
            for (SizeRun run : runs) {
                double perDoc = run.seconds() / run.size();
                report.ratio("7 scaling", String.format("time per doc at %,d vs %,d", run.size(), base), perDoc * 1e3, "ms/doc",
                        perDoc / basePerDoc, 1.5, false, String.format("%,d docs in %.1f s (%.0f docs/s) vs %.3f ms/doc at"
                                + " %,d (mean of %.1f s before and %.1f s after); %s", run.size(), run.seconds(),
                                run.size() / run.seconds(), basePerDoc * 1e3, base, pipelineSeconds, baseAgain, run.breakdown()));
                report.reference("7 scaling", String.format("database alone: COPY into the index at %,d vs %,d", run.size(),
                        base), run.copy().secondsPerRow() * 1e3, "ms/row", String.format("%.3f vs %.3f ms/row (mean of %.3f"
                                + " before and %.3f after): the database's own growth %.2fx, %,d rows by binary COPY into the same"
                                + " HNSW-indexed table%s", run.copy().secondsPerRow() * 1e3, baseCopyMean.secondsPerRow() * 1e3,
                        baseCopy.secondsPerRow() * 1e3, baseCopyAgain.secondsPerRow() * 1e3,
                        run.copy().secondsPerRow() / baseCopyMean.secondsPerRow(), COPY_PROBE, run.copy().visits(baseCopyMean)));
            }
            store.dropCollection(COLLECTION);
        }
    }

    /** One larger size of scenario 7: its pipeline run, where that run's CPU went, the COPY probe after it. */
    private record SizeRun(int size, double seconds, String breakdown, Probe copy) {
    }

    /**
     * One COPY probe: seconds per row, and the index's buffer accesses (hits and reads) per row, that
     * is the pages the graph search of each insert visited.
     */
    private record Probe(double secondsPerRow, double pagesPerRow) {
        static Probe meanOf(Probe a, Probe b) {
            return new Probe((a.secondsPerRow + b.secondsPerRow) / 2, (a.pagesPerRow + b.pagesPerRow) / 2);
        }

        /** How the pages visited per row compare with {@code base}'s, beside the time's growth. */
        String visits(Probe base) {
            return String.format("; index pages visited per row %,.0f vs %,.0f (%.2fx, the time per row %.2fx)",
                    pagesPerRow, base.pagesPerRow, pagesPerRow / base.pagesPerRow, secondsPerRow / base.secondsPerRow);
        }
    }

    /**
     * One timed bulk backfill, in seconds from its start: rows published, rows written, index built
     * (all); and where the load's CPU went.
     */
    private record BulkRound(double published, double written, double indexSeconds, double seconds, String loadCpu) {
        /** The means of two rounds, with the later one's CPU split. */
        static BulkRound meanOf(BulkRound a, BulkRound b) {
            return new BulkRound((a.published + b.published) / 2, (a.written + b.written) / 2,
                    (a.indexSeconds + b.indexSeconds) / 2, (a.seconds + b.seconds) / 2, b.loadCpu);
        }
    }

    private static final int COPY_PROBE = 1_000;
    /** Rows of the untimed bulk-backfill round that lets the JIT compile the path first. */
    private static final int WARM_UP_ROWS = 10_000;

    /**
     * The database's own cost per row of inserting into the collection's HNSW index at its present
     * size: a binary COPY of {@value #COPY_PROBE} new vectors straight into its vector table, no
     * pipeline around it; with the index pages each row visited, counted in the COPY's own
     * transaction so no other session's counts mix in.
     */
    private Probe copyMore(VectorStore store, HashingEmbedder hashing, String tag) throws Exception {
        var g = store.collection(COLLECTION).orElseThrow().active();
        String table = dev.embedstream.contracts.SqlIdentifiers.qualified(writerConfig.schema(), g.vectorTable());
        dev.embedstream.writer.BinaryCopy copy = new dev.embedstream.writer.BinaryCopy(COPY_PROBE * 2048);
        for (int i = 0; i < COPY_PROBE; i++) {
            String text = "copy probe " + tag + " " + i;
            copy.row(4).text("probe-" + tag + "-" + i).int4(0).text(text).vector(hashing.embed(List.of(text)).get(0));
        }
        java.io.ByteArrayInputStream bytes = copy.stream();
        String index = dev.embedstream.contracts.SqlIdentifiers.qualified(writerConfig.schema(), g.indexName());
        try (java.sql.Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                long start = System.nanoTime();
                long pagesBefore = indexPagesThisTransaction(c, index);
                BenchSchemas.copyIn(c, table, bytes);
                long pagesAfter = indexPagesThisTransaction(c, index);
                c.commit();
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Probe(seconds / COPY_PROBE, (pagesAfter - pagesBefore) / (double) COPY_PROBE);
            } catch (java.sql.SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Buffer accesses (hits and reads) of {@code index} by this session's open transaction. */
    private static long indexPagesThisTransaction(java.sql.Connection c, String index) throws java.sql.SQLException {
        try (var ps = c.prepareStatement("SELECT pg_stat_get_xact_blocks_fetched(?::regclass)")) {
            ps.setString(1, index);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The pipeline, publish to committed rows, with {@code model} over {@code docs}; the collection is dropped after. */
    public double pipelineSeconds(EmbeddingProvider model, List<BenchDoc> docs) throws Exception {
        try (VectorStore store = VectorStore.open(writerConfig)) {
            double seconds = pipeline(store, model, docs);
            store.dropCollection(COLLECTION);
            return seconds;
        }
    }

    /** Where the last pipeline run spent its time, for the report's notes. */
    public String lastBreakdown() {
        return lastBreakdown;
    }

    /**
     * Scenario 1b: a bulk backfill of a new table collection, end to end (rows read from the source
     * table, published, embedded by a zero-cost embedder, written without the index, then the index
     * built), against COPY of the same vectors into an empty table and CREATE INDEX by hand.
     */
    public void bulkBackfill(BenchReport report, int count) throws Exception {
        List<SampleCorpus.Entry> docs = SampleCorpus.generate(count, 31);
        try (VectorStore store = VectorStore.open(writerConfig); HashingEmbedder hashing = new HashingEmbedder()) {
            // A fresh JVM compiles the path's code while it runs: ~3 s of a core during a cold 10,000-row
            // load (JFR), a once-per-process cost the by-hand COPY hardly has. An untimed round of the same
            // size first (at most WARM_UP_ROWS).
            int warmUp = Math.min(count, WARM_UP_ROWS);
            log.printf("  bulk backfill warm-up: %,d rows through the same path (not timed)…%n", warmUp);
            BulkRound warm = backfillOnce(store, hashing, docs.subList(0, warmUp), "bench_bulk_warm");
            log.printf("    warm-up: rows published by %.1f s, all written by %.1f s%n", warm.published(), warm.written());
            // Single rounds of either side moved by up to a third between runs on these two shared
            // cores: each side runs twice, in the order by hand, pipeline, pipeline, by hand, so a drift
            // over the minute weighs on both; the figures are the two rounds' means.
            double byHand = timedByHand(store, hashing, docs) / 2;
            BulkRound timed = BulkRound.meanOf(timedBackfill(store, hashing, docs), timedBackfill(store, hashing, docs));
            byHand += timedByHand(store, hashing, docs) / 2;
            double seconds = timed.seconds();
            report.reference("1b bulk backfill", "COPY, then CREATE INDEX by hand", count / byHand, "rows/s",
                    String.format("%,d rows of %d dims into an empty table, %.1f s (mean of 2 rounds)", count,
                            HashingEmbedder.MODEL.dimensions(), byHand));
            report.ratio("1b bulk backfill", "backfill: load, then index (end to end)", count / seconds, "rows/s",
                    seconds / byHand, 1.2, false, String.format("%.1f s: rows read and published by %.1f s, all written"
                            + " by %.1f s, the index %.1f s (means of 2 rounds, interleaved with those by hand);"
                            + " zero-cost embedder; after a %,d-row warm-up round; ratio = time / time by hand; the"
                            + " last load's %s", seconds, timed.published(), timed.written(), timed.indexSeconds(), warmUp,
                            timed.loadCpu()));
        }
    }

    private double timedByHand(VectorStore store, HashingEmbedder hashing, List<SampleCorpus.Entry> docs) throws Exception {
        log.printf("  bulk load by hand: COPY of %,d vectors into an empty table, then CREATE INDEX…%n", docs.size());
        double seconds = copyThenIndex(store, hashing, docs);
        log.printf("    %.1f s%n", seconds);
        return seconds;
    }

    private BulkRound timedBackfill(VectorStore store, HashingEmbedder hashing, List<SampleCorpus.Entry> docs)
            throws Exception {
        log.printf("  bulk backfill: %,d rows → published → embedded → written without the index → index built…%n",
                docs.size());
        BulkRound round = backfillOnce(store, hashing, docs, "bench_bulk");
        log.printf("    %.1f s: rows published by %.1f s, all written by %.1f s, the index %.1f s; the load's %s%n",
                round.seconds(), round.published(), round.written(), round.indexSeconds(), round.loadCpu());
        return round;
    }

    /**
     * One backfill of a new table collection from the first page read to the index built: seconds in
     * all, of the index build, to the last row published and to the last row written. The collection
     * and its source table are dropped after.
     */
    private BulkRound backfillOnce(VectorStore store, HashingEmbedder hashing, List<SampleCorpus.Entry> docs,
                                  String collection) throws Exception {
        String schema = writerConfig.schema();
        String sourceTable = collection + "_source";
        String source = dev.embedstream.contracts.SqlIdentifiers.qualified(schema, sourceTable);
        store.dropCollection(collection);
        BenchSchemas.sql(store, "DROP TABLE IF EXISTS " + source,
                "CREATE TABLE " + source + " (id text PRIMARY KEY, body text NOT NULL)");
        fillSource(store, source, docs);
        KafkaSettings run = fresh();
        String id = run.topicPrefix();
        EmbedderConfig ec = embedderConfig.forGroup(id + "embedder", embedderConfig.chunkOverlapTokens(), true);
        var table = new dev.embedstream.contracts.TableSource(schema, sourceTable, "id", "{body}", null);
        store.ensureCollection(collection, table, "bench", HashingEmbedder.MODEL, 0, writerConfig.hnswM(),
                writerConfig.hnswEfConstruction());
        try (WriterWorker writer = WriterWorker.start(run, writerConfig(id), store);
             EmbedderWorker embedder = EmbedderWorker.start(run, ec, hashing, KnownContent.NONE);
             DocumentPublisher publisher = new DocumentPublisher(run)) {
            awaitJoined(() -> writer.hasJoinedGroup() && embedder.hasJoinedGroup());
            CpuSplit cpu = CpuSplit.start();
            long start = System.nanoTime();
            new dev.embedstream.ingest.TableBackfill(store.dataSource(), schema, collection, table,
                    () -> dev.embedstream.app.internal.BackfillTables.liveDocsTables(store, collection), publisher,
                    dev.embedstream.ingest.TableBackfill.DEFAULT_BATCH_ROWS, p -> { }).run(true);
            double published = (System.nanoTime() - start) / 1e9;
            long done = awaitRows(store, collection, docs.size(), () -> writer.stats().written(), () -> {
                requireRunning(writer.isRunning(), writer.failure());
                requireRunning(embedder.isRunning(), embedder.failure());
            });
            double written = (done - start) / 1e9;
            long indexStart = System.nanoTime();
            String loadCpu = cpu.since();
            dev.embedstream.app.cli.BackfillCommand.buildDeferredIndexes(store, collection);
            double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
            double seconds = written + indexSeconds;
            if (!store.collection(collection).orElseThrow().active().indexBuilt()) {
                throw new IllegalStateException("the bulk backfill left its collection without an index");
            }
            return new BulkRound(published, written, indexSeconds, seconds, loadCpu);
        } finally {
            store.dropCollection(collection);
            BenchSchemas.sql(store, "DROP TABLE IF EXISTS " + source);
        }
    }

    private double copyThenIndex(VectorStore store, HashingEmbedder hashing, List<SampleCorpus.Entry> docs) throws Exception {
        String table = dev.embedstream.contracts.SqlIdentifiers.qualified(writerConfig.schema(), "bench_bulk_copy");
        BenchSchemas.sql(store, "DROP TABLE IF EXISTS " + table,
                BenchSchemas.vectorTable(table, HashingEmbedder.MODEL.dimensions()));
        dev.embedstream.writer.BinaryCopy copy = new dev.embedstream.writer.BinaryCopy(docs.size() * 2048);
        for (SampleCorpus.Entry d : docs) {
            copy.row(4).text(d.id()).int4(0).text(d.text()).vector(hashing.embed(List.of(d.text())).get(0));
        }
        java.io.ByteArrayInputStream bytes = copy.stream();
        try (java.sql.Connection c = store.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            long start = System.nanoTime();
            BenchSchemas.copyIn(c, table, bytes);
            // at least the memory the pipeline's own build gets at this size, so the comparison is of the paths
            if (!store.pgvectorVersion().parallelHnswBuildSafe()) {
                st.execute("SET max_parallel_maintenance_workers = 0");
            }
            st.execute("SET maintenance_work_mem = '256MB'");
            st.execute(BenchSchemas.hnswIndex(table, writerConfig));
            double seconds = (System.nanoTime() - start) / 1e9;
            st.execute("RESET ALL");
            st.execute("DROP TABLE " + table);
            return seconds;
        }
    }

    /**
     * The database's own time for the HNSW inserts of {@code vectors}: one binary COPY of them, with
     * their documents' ids and texts, into an empty table holding the collection's index (same m,
     * ef_construction and operator class as the writer's), no pipeline around it.
     */
    public double indexedCopySeconds(List<BenchDoc> docs, List<float[]> vectors) throws Exception {
        if (vectors.isEmpty() || vectors.size() != docs.size()) {
            throw new IllegalArgumentException(vectors.size() + " vectors for " + docs.size() + " documents");
        }
        try (VectorStore store = VectorStore.open(writerConfig)) {
            String table = dev.embedstream.contracts.SqlIdentifiers.qualified(writerConfig.schema(), "bench_indexed_copy");
            BenchSchemas.sql(store, "DROP TABLE IF EXISTS " + table, BenchSchemas.vectorTable(table, vectors.get(0).length),
                    BenchSchemas.hnswIndex(table, writerConfig));
            dev.embedstream.writer.BinaryCopy copy = new dev.embedstream.writer.BinaryCopy(vectors.size() * 2048);
            for (int i = 0; i < vectors.size(); i++) {
                copy.row(4).text(docs.get(i).id()).int4(0).text(docs.get(i).text()).vector(vectors.get(i));
            }
            java.io.ByteArrayInputStream bytes = copy.stream();
            try (java.sql.Connection c = store.dataSource().getConnection()) {
                long start = System.nanoTime();
                BenchSchemas.copyIn(c, table, bytes);
                return (System.nanoTime() - start) / 1e9;
            } finally {
                BenchSchemas.sql(store, "DROP TABLE " + table);
            }
        }
    }

    private static void fillSource(VectorStore store, String source, List<SampleCorpus.Entry> docs) throws Exception {
        try (java.sql.Connection c = store.dataSource().getConnection();
             var ps = c.prepareStatement("INSERT INTO " + source + " (id, body) VALUES (?, ?)")) {
            c.setAutoCommit(false);
            int n = 0;
            for (SampleCorpus.Entry d : docs) {
                ps.setString(1, d.id());
                ps.setString(2, d.text());
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
            c.setAutoCommit(true);
        }
    }

    private double pipeline(VectorStore store, EmbeddingProvider model, List<BenchDoc> docs) throws Exception {
        store.dropCollection(COLLECTION);
        KafkaSettings run = fresh();
        String id = run.topicPrefix();
        EmbedderConfig ec = embedderConfig.forGroup(id + "embedder", embedderConfig.chunkOverlapTokens(), true);
        try (WriterWorker writer = WriterWorker.start(run, writerConfig(id), store);
             EmbedderWorker embedder = EmbedderWorker.start(run, ec, model, KnownContent.NONE)) {
            var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            new dev.embedstream.embedder.EmbedderMetrics(embedder, model).bindTo(meters);
            awaitJoined(() -> writer.hasJoinedGroup() && embedder.hasJoinedGroup());
            CpuSplit cpu = CpuSplit.start();
            long start = System.nanoTime();
            try (DocumentPublisher publisher = new DocumentPublisher(run)) {
                // pages of 2,000 acknowledged before the next, as a backfill publishes: a 100K burst into
                // the in-process broker once left a batch retried until its delivery timeout
                List<java.util.concurrent.CompletableFuture<?>> page = new ArrayList<>();
                for (BenchDoc d : docs) {
                    page.add(publisher.publish(new Document(COLLECTION, d.id(), d.text(), Map.of("category", d.category()), 1L)));
                    if (page.size() == 2_000) {
                        java.util.concurrent.CompletableFuture.allOf(page.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
                        page.clear();
                    }
                }
                publisher.flush();
                java.util.concurrent.CompletableFuture.allOf(page.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
            }
            long done = awaitRows(store, COLLECTION, docs.size(), () -> writer.stats().written(), () -> {
                requireRunning(writer.isRunning(), writer.failure());
                requireRunning(embedder.isRunning(), embedder.failure());
            });
            double seconds = (done - start) / 1e9;
            var embed = meters.get("embedstream.embedder.embed.duration").timer();
            var size = meters.get("embedstream.embedder.batch.size").summary();
            lastBreakdown = String.format("embedding %.1f s of %.1f s in %d batches of %.1f records on average; %s",
                    embed.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) / 1e3, seconds, embed.count(), size.mean(),
                    cpu.since());
            log.printf("    %s%n", lastBreakdown);
            return seconds;
        }
    }

    private double writerAlone(VectorStore store, HashingEmbedder hashing, List<SampleCorpus.Entry> docs) throws Exception {
        store.dropCollection(COLLECTION);
        // vectors made before the clock starts: this is the writer's ceiling, not the embedder's
        List<byte[][]> records = new ArrayList<>(docs.size());
        for (SampleCorpus.Entry d : docs) {
            float[] vector = hashing.embed(List.of(d.text())).get(0);
            EmbeddedDocument e = new EmbeddedDocument(COLLECTION, d.id(), 1L, ContentHash.ofText(d.text()),
                    ContentHash.ofText(d.text()), HashingEmbedder.MODEL, Map.of("category", d.category()),
                    List.of(new Chunk(0, d.text(), vector)), null, false, null);
            records.add(new byte[][] {Json.write(new DocumentKey(COLLECTION, d.id())), Json.write(e)});
        }
        KafkaSettings run = fresh();
        try (WriterWorker writer = WriterWorker.start(run, writerConfig(run.topicPrefix()), store);
             var producer = new KafkaProducer<>(WriterBench.feederProperties(run), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            awaitJoined(writer::hasJoinedGroup);
            long start = System.nanoTime();
            String topic = run.topic(Topics.EMBEDDINGS).name();
            for (byte[][] r : records) {
                producer.send(new ProducerRecord<>(topic, r[0], r[1]));
            }
            producer.flush();
            long done = awaitRows(store, COLLECTION, docs.size(), () -> writer.stats().written(),
                    () -> requireRunning(writer.isRunning(), writer.failure()));
            return (done - start) / 1e9;
        }
    }

    private KafkaSettings fresh() {
        return BenchTopics.fresh(kafka);
    }

    private WriterConfig writerConfig(String prefix) {
        return writerConfig.withGroupId(prefix + "writer");
    }

    static void awaitJoined(java.util.function.BooleanSupplier joined) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!joined.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench workers did not join their consumer groups in 60 s");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until the writer has committed {@code expected} documents, then checks that the table holds
     * them; returns the {@code System.nanoTime()} at which the writer reported them. The writer's own
     * counter is read every 10 ms: counting the table that often (as the bench once did, every 50 ms)
     * read 12.5 million index entries during a 30,000-document run, work that grew with the table and
     * took the cores the run measures.
     */
    private static long awaitRows(VectorStore store, String collection, long expected, LongSupplier committed,
                                  Runnable check) throws InterruptedException {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            check.run();
            long done = committed.getAsLong();
            long pause = 10;
            if (done >= expected) {
                long at = System.nanoTime();
                long rows = store.countDocuments(collection);
                if (rows >= expected) {
                    return at;
                }
                // some documents were written twice (a replay): only the table can say when all are there
                done = rows;
                pause = 100;
            }
            if (done != last) {
                last = done;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 120_000_000_000L) {
                throw new IllegalStateException("bench stalled at " + done + " of " + expected + " documents for 2 minutes");
            }
            Thread.sleep(pause);
        }
    }

    private static void requireRunning(boolean running, Throwable failure) {
        if (!running) {
            throw new IllegalStateException("a bench worker stopped", failure);
        }
    }
}
