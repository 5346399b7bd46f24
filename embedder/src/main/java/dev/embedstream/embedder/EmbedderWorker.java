package dev.embedstream.embedder;

import dev.embedstream.contracts.BatchLoop;
import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
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
 * Consumes the documents topic, chunks each text to the model's window, embeds a whole polled batch
 * at once and publishes one embedded document per input; offsets are committed only after Kafka
 * acknowledged every output. Records that can never be embedded go to the dead-letter topic with
 * the reason; tombstones are passed on so the writer deletes the document.
 */
public final class EmbedderWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbedderWorker.class);

    private final EmbedderConfig config;
    private final ModelRouter router;
    private final KnownContent known;
    private final RecentOutputs recent = new RecentOutputs(RECENT_LIMIT);
    private final KafkaProducer<byte[], byte[]> producer;
    private final String outputTopic;
    private final String deadLetterTopic;
    private final BatchLoop loop;
    private final AtomicLong embedded = new AtomicLong();
    private volatile io.micrometer.core.instrument.Timer embedTimer;
    private volatile io.micrometer.core.instrument.DistributionSummary batchSize;
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private static final int RECENT_LIMIT = 200_000;

    private EmbedderWorker(KafkaSettings kafka, EmbedderConfig config, ModelRouter router, KnownContent known, String name,
                           dev.embedstream.contracts.Topic<?, ?> input) {
        this.config = config;
        this.router = router;
        this.known = known;
        this.outputTopic = kafka.topic(Topics.EMBEDDINGS).name();
        this.deadLetterTopic = kafka.topic(Topics.DEAD_LETTERS).name();
        String inputTopic = kafka.topic(input).name();
        this.producer = new KafkaProducer<>(producerProps(kafka), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerProps(kafka, config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = new BatchLoop(name, consumer, List.of(inputTopic), this::handle, EmbedderWorker::isRetriable,
                config.retryBackoffMax(), known::assignmentChanged);
    }

    /** Starts consuming the documents topic on a thread of its own. */
    public static EmbedderWorker start(KafkaSettings kafka, EmbedderConfig config, EmbeddingProvider provider) {
        return start(kafka, config, provider, KnownContent.NONE);
    }

    /** As {@link #start(KafkaSettings, EmbedderConfig, EmbeddingProvider)}, skipping content already stored. */
    public static EmbedderWorker start(KafkaSettings kafka, EmbedderConfig config, EmbeddingProvider provider,
                                       KnownContent known) {
        return start(kafka, config, ModelRouter.fixed(provider, config.chunkOverlapTokens()), known);
    }

    /** Embeds each collection's documents with the models {@code router} names for it. */
    public static EmbedderWorker start(KafkaSettings kafka, EmbedderConfig config, ModelRouter router, KnownContent known) {
        EmbedderWorker worker = new EmbedderWorker(kafka, config, router, known, "embedder", Topics.DOCUMENTS);
        worker.loop.startThread("embedstream-embedder");
        return worker;
    }

    /**
     * A second worker under a consumer group of its own on another input, e.g. a re-embed reading
     * {@link Topics#REEMBED} with a router that names only the model being built.
     */
    public static EmbedderWorker startNamed(String name, KafkaSettings kafka, EmbedderConfig config, ModelRouter router,
                                            KnownContent known, dev.embedstream.contracts.Topic<?, ?> input) {
        EmbedderWorker worker = new EmbedderWorker(kafka, config, router, known, name, input);
        worker.loop.startThread("embedstream-" + name);
        return worker;
    }

    /** Provider outages and Kafka hiccups are waited out; a misconfigured provider stops the worker. */
    static boolean isRetriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderConfigurationException) {
                return false;
            }
            if (t instanceof ProviderUnavailableException || t instanceof ModelRouter.RoutingUnavailableException
                    || t instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
        }
        return false;
    }

    private void handle(List<ConsumerRecord<byte[], byte[]>> batch, Map<String, Object> details) throws Exception {
        long skippedBefore = skipped.get();
        long deadBefore = deadLettered.get();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(batch.size());
        List<Parsed> parsed = new ArrayList<>(batch.size());
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            try {
                DocumentKey key = keyOf(r);
                parsed.add(new Parsed(r, key, r.value() == null ? null : DocumentCodec.parse(r.value(), key, null)));
            } catch (InvalidInputException e) {
                out.add(DeadLetters.of(deadLetterTopic, r, "embedder", e.getMessage()));
            }
        }
        Map<String, List<ModelRouter.Target>> routes = router.route(
                parsed.stream().map(p -> p.key().collection()).collect(java.util.stream.Collectors.toSet()),
                parsed.stream().filter(p -> p.doc() != null).map(p -> p.key().collection())
                        .collect(java.util.stream.Collectors.toSet()));
        List<Pending> pending = plan(parsed, routes, out);
        long sendStart = System.nanoTime();
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>(batch.size());
        sendEach(out, acks); // dead letters of parsing and planning
        long embedNanos = 0;
        Map<ModelRouter.Target, List<EmbeddingResult>> vectors = new java.util.HashMap<>();
        for (List<Pending> group : groups(pending, config.batchDocuments())) {
            long embedStart = System.nanoTime();
            // A group's pieces come after the earlier groups' in each model's list, as plan() numbered them.
            embedAll(group).forEach((target, results) ->
                    vectors.computeIfAbsent(target, t -> new ArrayList<>()).addAll(results));
            embedNanos += System.nanoTime() - embedStart;
            List<ProducerRecord<byte[], byte[]>> embeddedGroup = new ArrayList<>(group.size());
            for (Pending p : group) {
                embeddedGroup.add(toOutput(p, vectors));
            }
            sendEach(embeddedGroup, acks); // on to the writer while the next group is embedded
        }
        details.put("embed_ms", embedNanos / 1_000_000);
        record(embedNanos, batch.size());
        details.put("chunks", pending.stream().mapToInt(p -> p.pieces().size()).sum());
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get();
        }
        details.put("send_ms", (System.nanoTime() - sendStart - embedNanos) / 1_000_000);
        details.put("skipped", skipped.get() - skippedBefore);
        details.put("dead_lettered", deadLettered.get() - deadBefore);
        for (Pending p : pending) {
            if (p.doc() == null) {
                recent.deleted(p.key());
            } else {
                recent.put(p.key(), p.target().provider().model().key(), p.hash());
            }
        }
    }

    /** What to embed with which model: per document, each target whose stored vectors are not already current. */
    private List<Pending> plan(List<Parsed> parsed, Map<String, List<ModelRouter.Target>> routes,
                               List<ProducerRecord<byte[], byte[]>> out) {
        List<Pending> pending = new ArrayList<>(parsed.size());
        Map<ModelRouter.Target, java.util.Set<DocumentKey>> unchanged = new java.util.HashMap<>();
        Map<ModelRouter.Target, Integer> offsets = new java.util.HashMap<>();
        for (Parsed p : parsed) {
            List<ModelRouter.Target> targets = routes.getOrDefault(p.key().collection(), List.of());
            if (targets.isEmpty()) {
                continue; // not this worker's collection (a re-embed of another one)
            }
            if (p.doc() == null) {
                pending.add(new Pending(p.source(), p.key(), null, null, List.of(), 0, null));
                continue;
            }
            for (ModelRouter.Target t : targets) {
                if (unchanged.computeIfAbsent(t, x -> unchanged(parsed, routes, x)).contains(p.key())) {
                    skipped.incrementAndGet();
                    continue;
                }
                try {
                    List<String> docPieces = t.provider().chunk(p.doc().text(), t.chunkOverlap());
                    int first = offsets.getOrDefault(t, 0);
                    offsets.put(t, first + docPieces.size());
                    pending.add(new Pending(p.source(), p.key(), p.doc(), t, docPieces, first, hashOf(t, p.doc())));
                } catch (InvalidInputException e) {
                    out.add(DeadLetters.of(deadLetterTopic, p.source(), "embedder", e.getMessage()));
                }
            }
        }
        return pending;
    }

    /** One call per model for the whole batch: the provider packs the pieces into requests. */
    private static Map<ModelRouter.Target, List<EmbeddingResult>> embedAll(List<Pending> pending) {
        Map<ModelRouter.Target, List<String>> pieces = new java.util.LinkedHashMap<>();
        for (Pending p : pending) {
            if (p.doc() != null) {
                pieces.computeIfAbsent(p.target(), t -> new ArrayList<>()).addAll(p.pieces());
            }
        }
        Map<ModelRouter.Target, List<EmbeddingResult>> vectors = new java.util.HashMap<>();
        for (var e : pieces.entrySet()) {
            List<EmbeddingResult> results = e.getKey().provider().embedEach(e.getValue());
            if (results.size() != e.getValue().size()) {
                throw new IllegalStateException("provider returned " + results.size() + " results for "
                        + e.getValue().size() + " inputs");
            }
            vectors.put(e.getKey(), results);
        }
        return vectors;
    }

    private ProducerRecord<byte[], byte[]> toOutput(Pending p, Map<ModelRouter.Target, List<EmbeddingResult>> vectors) {
        byte[] key = Json.write(p.key());
        if (p.doc() == null) {
            deletes.incrementAndGet();
            return new ProducerRecord<>(outputTopic, key, null);
        }
        try {
            List<EmbeddingResult> results = vectors.get(p.target());
            List<Chunk> docChunks = new ArrayList<>(p.pieces().size());
            for (int i = 0; i < p.pieces().size(); i++) {
                EmbeddingResult r = results.get(p.firstVector() + i);
                if (!r.isOk()) {
                    String where = p.pieces().size() == 1 ? "" : "chunk " + i + " of " + p.pieces().size() + ": ";
                    throw new InvalidInputException(where + r.failure());
                }
                docChunks.add(new Chunk(i, p.pieces().get(i), r.vector()));
            }
            Document d = p.doc();
            EmbeddedDocument e = new EmbeddedDocument(d.collection(), d.id(), d.version(), p.hash(),
                    ContentHash.ofText(d.text()), p.target().provider().model(), d.metadata(), docChunks, sourceOffset(p.source()),
                    isReplay(p.source()), d.text());
            embedded.incrementAndGet();
            chunks.addAndGet(docChunks.size());
            return new ProducerRecord<>(outputTopic, key, Json.write(e));
        } catch (InvalidInputException e) {
            return DeadLetters.of(deadLetterTopic, p.source(), "embedder", e.getMessage() + " (model "
                    + p.target().provider().model().key() + ")");
        }
    }

    /**
     * Where the document stands in the documents topic: the record's own offset, or for a re-embed's
     * replay of the stored copy the offset recorded with it.
     */
    static long sourceOffset(ConsumerRecord<byte[], byte[]> r) {
        String replayed = DeadLetters.header(r.headers(), Topics.SOURCE_OFFSET_HEADER);
        if (replayed == null) {
            return r.offset();
        }
        try {
            return Long.parseLong(replayed.trim());
        } catch (NumberFormatException e) {
            // Only a re-embed's replay sets it; from any other producer it is a bad record, not a reason to stop.
            throw new InvalidInputException("header " + Topics.SOURCE_OFFSET_HEADER + " is not an offset: "
                    + dev.embedstream.contracts.Texts.quoteForMessage(replayed) + " (headers named embedstream.* are"
                    + " reserved for the workers)");
        }
    }

    static boolean isReplay(ConsumerRecord<byte[], byte[]> r) {
        return DeadLetters.header(r.headers(), Topics.SOURCE_OFFSET_HEADER) != null;
    }

    private static DocumentKey keyOf(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            throw new InvalidInputException("record without a key (expected {\"collection\":…,\"id\":…})");
        }
        try {
            return Json.read(r.key(), DocumentKey.class);
        } catch (InvalidInputException e) {
            // the parser's own words for malformed JSON; a key that parsed but is invalid says why itself
            String detail = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidInputException("record key is not a valid {\"collection\":…,\"id\":…} object: " + detail, e);
        }
    }

    /** Sends without waiting; the batch's offsets are committed only once every ack in {@code acks} came. */
    private void sendEach(List<ProducerRecord<byte[], byte[]>> records, List<java.util.concurrent.Future<?>> acks) {
        for (ProducerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(deadLetterTopic)) {
                deadLettered.incrementAndGet();
                log.warn("{}", DeadLetters.describe(r));
            }
            acks.add(producer.send(r));
        }
    }

    /** Consecutive groups of the plan holding at most {@code documents} documents to embed each. */
    private static List<List<Pending>> groups(List<Pending> pending, int documents) {
        List<List<Pending>> groups = new ArrayList<>();
        List<Pending> group = new ArrayList<>();
        java.util.Set<DocumentKey> inGroup = new java.util.HashSet<>();
        for (Pending p : pending) {
            if (p.doc() != null && !inGroup.contains(p.key()) && inGroup.size() == documents) {
                groups.add(group);
                group = new ArrayList<>();
                inGroup = new java.util.HashSet<>();
            }
            if (p.doc() != null) {
                inGroup.add(p.key());
            }
            group.add(p);
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    private record Parsed(ConsumerRecord<byte[], byte[]> source, DocumentKey key, Document doc) {
    }

    private record Pending(ConsumerRecord<byte[], byte[]> source, DocumentKey key, Document doc, ModelRouter.Target target,
                           List<String> pieces, int firstVector, String hash) {
    }

    private static String hashOf(ModelRouter.Target t, Document d) {
        return ContentHash.of(t.provider().model(), t.chunkingKey(), d.text());
    }

    /**
     * Documents whose exact content, version (or lack of one) and metadata are already stored:
     * nothing would change, so nothing is paid. Newer content still in flight is ruled out twice:
     * this worker remembers what it sent on (a delete included), and the store is only consulted
     * once the writer has caught up after this worker's partitions last changed.
     */
    private java.util.Set<DocumentKey> unchanged(List<Parsed> parsed, Map<String, List<ModelRouter.Target>> routes,
                                                 ModelRouter.Target target) {
        List<DocumentKey> keys = parsed.stream().filter(p -> p.doc() != null)
                .filter(p -> routes.getOrDefault(p.key().collection(), List.of()).contains(target))
                .map(Parsed::key).distinct().toList();
        if (keys.isEmpty() || known == KnownContent.NONE) {
            return java.util.Set.of();
        }
        Map<DocumentKey, Long> events = parsed.stream()
                .collect(java.util.stream.Collectors.groupingBy(Parsed::key, java.util.stream.Collectors.counting()));
        String model = target.provider().model().key();
        Map<DocumentKey, KnownContent.Stored> stored = known.lookup(target.provider().model(), keys);
        java.util.Set<DocumentKey> result = new java.util.HashSet<>();
        for (Parsed p : parsed) {
            // A key with several events in the batch (a delete and a re-publish, say) is always embedded.
            if (p.doc() == null || events.get(p.key()) > 1) {
                continue;
            }
            KnownContent.Stored s = stored.get(p.key());
            String hash = hashOf(target, p.doc());
            if (log.isDebugEnabled()) {
                log.debug("skip check {}: stored {}, version {}, hash match {}, recent agrees {}", p.key(), s != null,
                        p.doc().version(), s != null && hash.equals(s.contentHash()), recent.agrees(p.key(), model, hash));
            }
            if (s != null && java.util.Objects.equals(p.doc().version(), s.version())
                    && hash.equals(s.contentHash())
                    && s.metadata().equals(p.doc().metadata()) && recent.agrees(p.key(), model, hash)) {
                result.add(p.key());
            }
        }
        return result;
    }

    /** Counts since start. */
    /** Meters the batches from now on ({@link EmbedderMetrics} calls it). */
    void instrument(io.micrometer.core.instrument.Timer embed, io.micrometer.core.instrument.DistributionSummary size) {
        this.embedTimer = embed;
        this.batchSize = size;
    }

    private void record(long embedNanos, int records) {
        var timer = embedTimer;
        var size = batchSize;
        if (timer != null) {
            timer.record(embedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            size.record(records);
        }
    }

    public record Stats(long embedded, long chunks, long deletes, long skipped, long deadLettered, long batches,
                        long retries) {
    }

    public Stats stats() {
        return new Stats(embedded.get(), chunks.get(), deletes.get(), skipped.get(), deadLettered.get(),
                loop.batchesDone(), loop.retries());
    }

    /** Whether the consumer has joined its group (see {@link dev.embedstream.contracts.BatchLoop#hasJoined()}). */
    public boolean hasJoinedGroup() {
        return loop.hasJoined();
    }

    public boolean isRunning() {
        return loop.isAlive();
    }

    public Throwable failure() {
        return loop.failure();
    }

    /**
     * The stock Kafka client meters of this worker's consumer and producer ({@code kafka_consumer_*},
     * {@code kafka_producer_*}); closed with the worker.
     */
    public java.util.List<io.micrometer.core.instrument.binder.MeterBinder> kafkaClientMetrics() {
        var consumer = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(loop.consumer());
        var producerMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
        clientMetrics.add(consumer);
        clientMetrics.add(producerMetrics);
        return java.util.List.of(consumer, producerMetrics);
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
        loop.stopAndJoin(Duration.ofSeconds(60));
        producer.close(Duration.ofSeconds(10));
    }

    private static Map<String, Object> consumerProps(KafkaSettings kafka, EmbedderConfig config) {
        Map<String, Object> p = kafka.consumerProperties("embedder", config.groupId(), config.pollRecords());
        // Ten minutes per embedding batch of the poll: as long per document as when a poll was one batch
        long groups = (config.pollRecords() + config.batchDocuments() - 1) / config.batchDocuments();
        p.put("max.poll.interval.ms", (int) Math.min(Integer.MAX_VALUE, 600_000L * groups));
        return p;
    }

    private static Map<String, Object> producerProps(KafkaSettings kafka) {
        // a client id apart from the consumer's: the two clients' metrics (and quotas) are told apart
        Map<String, Object> p = kafka.clientProperties("embedder-producer");
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", 5);
        p.put("compression.type", "lz4");
        // a group of 64 embedded documents is ~150-200 KB (a 384-d vector is 2 KB of base64, plus each
        // text): 16 KB producer batches cut it into a dozen requests the poll then waits on
        p.put("batch.size", 256 * 1024);
        p.put("max.request.size", 8 * 1024 * 1024);
        return p;
    }
}
