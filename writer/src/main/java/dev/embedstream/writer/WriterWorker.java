package dev.embedstream.writer;

import dev.embedstream.contracts.BatchLoop;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Throwables;
import dev.embedstream.contracts.Topics;
import dev.embedstream.writer.internal.Failures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the embeddings topic and writes each polled batch in one database transaction; offsets
 * are committed only after the database commit. Records that can never be written go to the
 * dead-letter topic with the reason, and the rest of their batch is written.
 */
public final class WriterWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriterWorker.class);

    private final VectorStore store;
    private final String deadLetterTopic;
    private final String indexEventsTopic;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final java.time.Clock clock = java.time.Clock.systemUTC();
    private final List<BatchLoop> loops = new ArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile io.micrometer.core.instrument.Timer upsertTimer;
    private volatile io.micrometer.core.instrument.DistributionSummary batchSize;

    private WriterWorker(KafkaSettings kafka, WriterConfig config, VectorStore store) {
        this.store = store;
        this.deadLetterTopic = kafka.topic(Topics.DEAD_LETTERS).name();
        this.indexEventsTopic = kafka.topic(Topics.INDEX_EVENTS).name();
        String topic = kafka.topic(Topics.EMBEDDINGS).name();
        this.deadLetters = new KafkaProducer<>(producerProps(kafka), new ByteArraySerializer(), new ByteArraySerializer());
        // One consumer per thread in the same group: each writes its partitions' batches on its own
        // connection, and a document's records stay in order on its partition. The dead-letter topic is
        // read too: the coverage report counts dead letters per document.
        for (int i = 0; i < config.threads(); i++) {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka, config, i, config.threads()),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            loops.add(new BatchLoop("writer", consumer, List.of(topic, deadLetterTopic), this::handle,
                    Failures::isRetriable, config.retryBackoffMax()));
        }
    }

    /** Starts consuming the embeddings topic on a thread of its own. */
    public static WriterWorker start(KafkaSettings kafka, WriterConfig config, VectorStore store) {
        WriterWorker worker = new WriterWorker(kafka, config, store);
        for (int i = 0; i < worker.loops.size(); i++) {
            worker.loops.get(i).startThread(worker.loops.size() == 1 ? "embedstream-writer" : "embedstream-writer-" + i);
        }
        return worker;
    }

    private void handle(List<ConsumerRecord<byte[], byte[]>> all, Map<String, Object> details) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(all.size());
        List<VectorStore.DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            if (r.topic().equals(deadLetterTopic)) {
                deadLetterOf(r).ifPresent(letters::add);
            } else {
                batch.add(r);
            }
        }
        store.recordDeadLetters(letters);
        List<Change> changes = new ArrayList<>(batch.size());
        List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>(batch.size());
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            try {
                changes.add(toChange(r));
                sources.add(r);
            } catch (InvalidInputException e) {
                dead.add(DeadLetters.of(deadLetterTopic, r, "writer", e.getMessage()));
            }
        }
        long writeStart = System.nanoTime();
        WriteResult result = writeOrIsolate(changes, sources, dead);
        long writeNanos = System.nanoTime() - writeStart;
        details.put("write_ms", writeNanos / 1_000_000);
        record(writeNanos, all.size());
        details.put("written", result.documentsWritten());
        for (WriteResult.Rejected rejected : result.rejected()) {
            dead.add(DeadLetters.of(deadLetterTopic, sources.get(rejected.position()), "writer", rejected.reason()));
        }
        sendAll(dead);
        details.put("dead_lettered", dead.size());
        count(result, dead.size());
        publishIndexEvents(result.indexChanges());
    }

    /**
     * Tells maintenance what the committed batch did to each index. Not awaited: a lost event only
     * delays a reindex until the next table sample corrects the counts.
     */
    private void publishIndexEvents(List<IndexChange> changes) {
        long now = clock.millis();
        for (IndexChange c : changes) {
            IndexEvent e = IndexEvent.write(c.collection(), c.generation(), c.index(), c.table(), c.inserted(),
                    c.updated(), c.deleted(), now);
            deadLetters.send(new ProducerRecord<>(indexEventsTopic, e.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Json.write(e)), (m, error) -> {
                        if (error != null) {
                            log.warn("index event for {} not published: {}", e.key(), error.toString());
                        }
                    });
        }
    }

    /**
     * Writes the batch; if the database refuses it for good (a value it cannot store), or cancels it
     * (a statement timeout shorter than the batch takes), writes the changes one by one so only the
     * refused ones are dead-lettered. Other retriable failures, and a cancel of one change, propagate.
     */
    private WriteResult writeOrIsolate(List<Change> changes, List<ConsumerRecord<byte[], byte[]>> sources,
                                       List<ProducerRecord<byte[], byte[]>> dead) {
        try {
            return store.write(changes);
        } catch (WriterException e) {
            boolean cancelled = Failures.isCancelled(e);
            if (Failures.isRetriable(e) && !(cancelled && changes.size() > 1)) {
                throw e;
            }
            log.warn("a batch of {} changes was {} ({}); writing them one by one", changes.size(),
                    cancelled ? "cancelled" : "refused", rootMessage(e));
        }
        List<UpsertResult> results = new ArrayList<>();
        List<IndexChange> indexChanges = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            try {
                WriteResult one = store.write(List.of(changes.get(i)));
                results.addAll(one.collections());
                indexChanges.addAll(one.indexChanges());
                for (WriteResult.Rejected r : one.rejected()) {
                    dead.add(DeadLetters.of(deadLetterTopic, sources.get(i), "writer", r.reason()));
                }
            } catch (WriterException e) {
                if (Failures.isRetriable(e)) {
                    throw e;
                }
                dead.add(DeadLetters.of(deadLetterTopic, sources.get(i), "writer", "the database refused it: " + rootMessage(e)));
            }
        }
        return new WriteResult(results, List.of(), indexChanges);
    }

    /** The document a dead letter is about, with the hash of the text it failed on when the payload says. */
    static java.util.Optional<VectorStore.DeadLetter> deadLetterOf(ConsumerRecord<byte[], byte[]> r) {
        DocumentKey key;
        try {
            key = r.key() == null ? null : Json.read(r.key(), DocumentKey.class);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        if (key == null) {
            return java.util.Optional.empty();
        }
        String stage = DeadLetters.header(r.headers(), DeadLetters.STAGE);
        String reason = DeadLetters.header(r.headers(), DeadLetters.REASON);
        return java.util.Optional.of(new VectorStore.DeadLetter(key.collection(), key.id(), stage == null ? "?" : stage,
                reason, textHashOf(r.value(), key)));
    }

    private static String textHashOf(byte[] value, DocumentKey key) {
        if (value == null) {
            return null;
        }
        try {
            var tree = Json.MAPPER.readTree(value);
            if (tree.hasNonNull("textHash")) {
                return tree.get("textHash").asText();
            }
            if (tree.hasNonNull("text")) {
                return dev.embedstream.contracts.ContentHash.ofText(tree.get("text").asText());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the dead letter counts whatever the current content is
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        return Throwables.root(e).getMessage();
    }

    private static Change toChange(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            throw new InvalidInputException("record without a key");
        }
        DocumentKey key = Json.read(r.key(), DocumentKey.class);
        if (r.value() == null) {
            return new Change.Delete(key);
        }
        EmbeddedDocument doc = Json.read(r.value(), EmbeddedDocument.class);
        if (!doc.key().equals(key)) {
            throw new InvalidInputException("record key " + key + " does not match document " + doc.key());
        }
        return new Change.Upsert(doc);
    }

    private void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        records.forEach(r -> log.warn("{}", DeadLetters.describe(r)));
        DeadLetters.sendAndAwait(deadLetters, records);
    }

    private void count(WriteResult result, int dead) {
        for (UpsertResult r : result.collections()) {
            written.addAndGet(r.inserted() + r.replaced());
            deleted.addAndGet(r.deleted());
            unchanged.addAndGet(r.unchanged());
            stale.addAndGet(r.stale());
        }
        deadLettered.addAndGet(dead);
    }

    /** Meters the batches from now on ({@link WriterMetrics} calls it). */
    void instrument(io.micrometer.core.instrument.Timer upsert, io.micrometer.core.instrument.DistributionSummary size) {
        this.upsertTimer = upsert;
        this.batchSize = size;
    }

    private void record(long writeNanos, int records) {
        var timer = upsertTimer;
        var size = batchSize;
        if (timer != null) {
            timer.record(writeNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            size.record(records);
        }
    }

    /** Counts since start. */
    public record Stats(long written, long deleted, long unchanged, long stale, long deadLettered, long batches,
                        long retries) {
    }

    public Stats stats() {
        return new Stats(written.get(), deleted.get(), unchanged.get(), stale.get(), deadLettered.get(),
                loops.stream().mapToLong(BatchLoop::batchesDone).sum(), loops.stream().mapToLong(BatchLoop::retries).sum());
    }

    /** Whether every consumer has joined its group (see {@link dev.embedstream.contracts.BatchLoop#hasJoined()}). */
    public boolean hasJoinedGroup() {
        return loops.stream().allMatch(BatchLoop::hasJoined);
    }

    /** Whether every consumer thread runs: one that stopped for good leaves its partitions unwritten. */
    public boolean isRunning() {
        return loops.stream().allMatch(BatchLoop::isAlive);
    }

    public Throwable failure() {
        return loops.stream().map(BatchLoop::failure).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * The stock Kafka client meters of this worker's consumer and producer ({@code kafka_consumer_*},
     * {@code kafka_producer_*}); closed with the worker.
     */
    public java.util.List<io.micrometer.core.instrument.binder.MeterBinder> kafkaClientMetrics() {
        List<io.micrometer.core.instrument.binder.MeterBinder> binders = new ArrayList<>();
        for (BatchLoop loop : loops) {
            var consumer = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(loop.consumer());
            clientMetrics.add(consumer);
            binders.add(consumer);
        }
        var producerMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(deadLetters);
        clientMetrics.add(producerMetrics);
        binders.add(producerMetrics);
        return binders;
    }

    private final java.util.List<AutoCloseable> clientMetrics = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void close() {
        for (AutoCloseable m : clientMetrics) {
            try {
                m.close();
            } catch (Exception e) {
                log.debug("client metrics not closed: {}", e.toString());
            }
        }
        loops.forEach(BatchLoop::stop);
        loops.forEach(loop -> loop.stopAndJoin(Duration.ofSeconds(30)));
        deadLetters.close(Duration.ofSeconds(10));
    }

    private static Map<String, Object> consumerProps(KafkaSettings kafka, WriterConfig config, int index, int threads) {
        Map<String, Object> p = kafka.consumerProperties(threads == 1 ? "writer" : "writer-" + index, config.groupId(),
                config.batchRecords());
        p.put("isolation.level", "read_committed");
        p.put("max.partition.fetch.bytes", 8 * 1024 * 1024);
        return p;
    }

    private static Map<String, Object> producerProps(KafkaSettings kafka) {
        Map<String, Object> p = kafka.clientProperties("writer-dlq");
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        return p;
    }
}
