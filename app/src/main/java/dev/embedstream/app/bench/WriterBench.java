package dev.embedstream.app.bench;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.Topics;
import dev.embedstream.writer.BinaryCopy;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import dev.embedstream.writer.WriterWorker;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scenario 1: the writer path (Kafka records to committed rows in an HNSW-indexed table) against
 * the database's own ceiling, a raw binary COPY of the same vectors into an identical table.
 */
public final class WriterBench {

    private static final ModelId MODEL = new ModelId("bench-random", "fp32", 384, 256);
    private static final String COLLECTION = "bench_writer";

    private final KafkaSettings kafka;
    private final WriterConfig writerConfig;
    private final int rows;
    private final PrintStream log;

    public WriterBench(KafkaSettings kafka, WriterConfig writerConfig, int rows, PrintStream log) {
        this.kafka = kafka;
        this.writerConfig = writerConfig;
        this.rows = rows;
        this.log = log;
    }

    public void run(BenchReport report) throws Exception {
        List<EmbeddedDocument> docs = documents(rows);
        try (VectorStore store = VectorStore.open(writerConfig)) {
            // Two rounds in A-B-B-A order, so drift on a noisy machine (checkpoints, autovacuum, other
            // load) weighs on both paths alike; each round loads fresh tables.
            double copySeconds = 0;
            double writerSeconds = 0;
            for (int round = 1; round <= 2; round++) {
                if (round == 1) {
                    copySeconds += timedCopy(store, docs, round);
                    writerSeconds += timedWriter(store, docs, round);
                } else {
                    writerSeconds += timedWriter(store, docs, round);
                    copySeconds += timedCopy(store, docs, round);
                }
            }
            copySeconds /= 2;
            writerSeconds /= 2;
            double copyRate = rows / copySeconds;
            double writerRate = rows / writerSeconds;
            report.reference("1 writer vs COPY", "raw binary COPY, HNSW-indexed table", copyRate, "rows/s",
                    String.format("%d rows of %d dims, m=%d ef_construction=%d, %d connection(s) as the writer's threads,"
                            + " %.1f s (mean of 2 rounds)", rows, MODEL.dimensions(), writerConfig.hnswM(),
                            writerConfig.hnswEfConstruction(), writerConfig.threads(), copySeconds));
            report.ratio("1 writer vs COPY", "writer upsert (Kafka → committed rows)", writerRate, "rows/s",
                    writerRate / copyRate, 0.8, true, String.format("%.1f s (mean of 2 rounds, A-B-B-A order), batches of %d,"
                            + " %d thread(s)", writerSeconds, writerConfig.batchRecords(), writerConfig.threads()));
            store.dropCollection(COLLECTION);
        }
    }

    private double timedCopy(VectorStore store, List<EmbeddedDocument> docs, int round) throws Exception {
        log.printf("  round %d: raw binary COPY of %d vectors into an HNSW-indexed table…%n", round, rows);
        return rawCopy(store, docs);
    }

    private double timedWriter(VectorStore store, List<EmbeddedDocument> docs, int round) throws Exception {
        log.printf("  round %d: writer path, %d Kafka records → committed rows…%n", round, rows);
        store.dropCollection(COLLECTION);
        return writerPath(store, docs);
    }

    /**
     * Binary COPY of the vectors into a fresh HNSW-indexed table, split over as many connections as the
     * writer has threads (each COPY a share of the rows, all at once): the same database parallelism, so
     * the ratio measures the pipeline, not a difference in connections.
     */
    private double rawCopy(VectorStore store, List<EmbeddedDocument> docs) throws Exception {
        String table = dev.embedstream.contracts.SqlIdentifiers.qualified(writerConfig.schema(), "bench_raw_copy");
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute(BenchSchemas.vectorTable(table, MODEL.dimensions()));
            st.execute(BenchSchemas.hnswIndex(table, writerConfig));
        }
        int connections = writerConfig.threads();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> copies = new java.util.ArrayList<>();
            for (int part = 0; part < connections; part++) {
                List<EmbeddedDocument> share = docs.subList(docs.size() * part / connections,
                        docs.size() * (part + 1) / connections);
                copies.add(pool.submit(() -> copyInto(store, table, share)));
            }
            for (java.util.concurrent.Future<?> copy : copies) {
                copy.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE " + table);
            }
            return seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Void copyInto(VectorStore store, String table, List<EmbeddedDocument> docs)
            throws SQLException, java.io.IOException {
        try (Connection c = store.dataSource().getConnection()) {
            BinaryCopy copy = new BinaryCopy(docs.size() * (MODEL.dimensions() * 4 + 256));
            for (EmbeddedDocument d : docs) {
                Chunk chunk = d.chunks().get(0);
                copy.row(4).text(d.id()).int4(0).text(chunk.text()).vector(chunk.vector());
            }
            BenchSchemas.copyIn(c, table, copy.stream());
            return null;
        }
    }

    private double writerPath(VectorStore store, List<EmbeddedDocument> docs) throws Exception {
        KafkaSettings benchKafka = BenchTopics.fresh(kafka);
        String topic = benchKafka.topic(Topics.EMBEDDINGS).name();
        WriterConfig config = writerConfig.withGroupId("bench-writer-" + benchKafka.topicPrefix());
        try (WriterWorker worker = WriterWorker.start(benchKafka, config, store);
             Admin admin = Admin.create(benchKafka.adminProperties())) {
            // A running writer's rate, not its start-up: the clock starts once every consumer has its
            // partitions (a group join took up to a second, a tenth of a 5,000-row round), and the records
            // are produced on it, in ~0.1 s.
            PipelineBench.awaitJoined(worker::hasJoinedGroup);
            long start = System.nanoTime();
            produce(benchKafka, topic, docs);
            long lastLag = -1;
            long lastChange = System.nanoTime();
            for (long lag; (lag = ConsumerLag.of(admin, config.groupId(), topic)) > 0; ) {
                if (!worker.isRunning()) {
                    throw new IllegalStateException("writer stopped during the benchmark", worker.failure());
                }
                if (lag != lastLag) {
                    lastLag = lag;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > 120_000_000_000L) {
                    throw new IllegalStateException("writer bench stalled at a lag of " + lag + " for 2 minutes");
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (store.countDocuments(COLLECTION) != docs.size()) {
                throw new IllegalStateException("writer bench wrote " + store.countDocuments(COLLECTION) + " of " + docs.size());
            }
            return seconds;
        }
    }

    private static void produce(KafkaSettings kafka, String topic, List<EmbeddedDocument> docs) {
        Map<String, Object> props = feederProperties(kafka);
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>(docs.size());
            for (EmbeddedDocument d : docs) {
                sent.add(producer.send(new ProducerRecord<>(topic, Json.write(new DocumentKey(d.collection(), d.id())),
                        Json.write(d))));
            }
            producer.flush();
            // a record the broker never took would leave the writer waiting for it forever
            for (var f : sent) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while publishing the bench records", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("publishing the bench records failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /**
     * The bench's own feeder of the embeddings topic (not a pipeline part): large compressed batches.
     * Not idempotent: twice, a burst into just-created topics on the in-process broker left an
     * idempotent producer retrying one batch forever with OutOfOrderSequenceException; a duplicate
     * here would be harmless (the writer upserts, the bench counts rows).
     */
    static Map<String, Object> feederProperties(KafkaSettings kafka) {
        Map<String, Object> props = kafka.clientProperties("bench-producer");
        props.put("linger.ms", 20);
        props.put("batch.size", 512 * 1024);
        props.put("compression.type", "lz4");
        props.put("enable.idempotence", false);
        props.put("acks", "all");
        return props;
    }

    static List<EmbeddedDocument> documents(int count) {
        SplittableRandom random = new SplittableRandom(42);
        List<EmbeddedDocument> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] v = unitVector(random, MODEL.dimensions());
            String text = "Benchmark chunk " + i + " with a little text so rows have a realistic width for the table.";
            docs.add(new EmbeddedDocument(COLLECTION, "b-" + i, 1L, "hash-" + i, "text-" + i, MODEL, Map.of("i", i),
                    List.of(new Chunk(0, text, v)), null, false, null));
        }
        return docs;
    }

    static float[] unitVector(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }

}
