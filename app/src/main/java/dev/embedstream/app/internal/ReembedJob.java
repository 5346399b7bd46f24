package dev.embedstream.app.internal;

import dev.embedstream.app.ModelSpec;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.EmbedderWorker;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.TableBackfill;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A model change with zero search downtime: the new model's vectors are built in a generation of
 * their own beside the old (tables, then the HNSW index once the bulk load is in), kept current
 * by the embedder while rows change, and search is cut over in one transaction when coverage
 * reaches the threshold. The old generation stays until dropped. Table-sourced collections are
 * fed by a backfill; collections fed only through the topic are replayed from the stored copy
 * the writer keeps in the active generation.
 */
public final class ReembedJob {

    /** Coverage of a replayed collection standing still this long: replay what is still missing again. */
    static final Duration REPLAY_AGAIN_AFTER = Duration.ofSeconds(20);

    /** What to re-embed to and when to cut over. */
    public record Options(ModelSpec model, double threshold, boolean dropOld, int hnswM, int hnswEfConstruction,
                          int chunkOverlap, int batchRows, Duration stall) {

        public Options {
            if (threshold <= 0 || threshold > 1) {
                throw new InvalidInputException("threshold must be in (0, 100] percent, got " + threshold * 100);
            }
        }
    }

    private final Context context;
    private final VectorStore store;
    private final EmbedderConfig embedderConfig;
    private final PrintStream out;
    private final Clock clock;

    public ReembedJob(Context context, EmbedderConfig embedderConfig, PrintStream out, Clock clock) {
        this.context = context;
        this.store = context.store();
        this.embedderConfig = embedderConfig;
        this.out = out;
        this.clock = clock;
    }

    /** Runs the re-embed to the end (cut over, and the old generation dropped when asked). */
    public Coverage run(String collection, Options o) {
        CollectionInfo info = store.collection(collection)
                .orElseThrow(() -> new InvalidInputException("unknown collection '" + collection + "'"));
        EmbeddingProvider provider = context.providers().forSpec(o.model());
        Generation old = info.active();
        Generation g = store.addBuildingGeneration(collection, o.model().provider(), provider.model(), o.chunkOverlap(),
                o.hnswM(), o.hnswEfConstruction());
        out.printf("Re-embedding %s: generation %d (%s) is built beside generation %d (%s), which search keeps reading.%n",
                collection, g.number(), g.model().key(), old.number(), old.model().key());
        try (EmbedderWorker replay = info.isTableSourced() ? null : startReplay(collection, g)) {
            if (info.isTableSourced()) {
                backfill(info);
            } else {
                replayStoredCopies(collection, g);
            }
            CoverageWait wait = new CoverageWait(context, clock, o.stall());
            if (replay != null) {
                // A change the live embedder had in hand as the generation appeared reached only the old
                // model; replaying what is still missing or stale catches it up.
                wait = wait.checking(() -> requireRunning(replay, collection))
                        .nudging(REPLAY_AGAIN_AFTER, () -> replayStoredCopies(collection, g));
            }
            wait.await(collection, g.number(), "embedding " + collection + " with " + g.model().name(), ready(o));
            if (!g.indexBuilt()) {
                out.printf("Building the HNSW index of generation %d (CREATE INDEX CONCURRENTLY; writes go on)...%n", g.number());
                long start = System.nanoTime();
                VectorStore.IndexBuild build = store.buildIndex(g);
                out.println(build.report((System.nanoTime() - start) / 1e9));
            }
            Coverage before = wait.await(collection, g.number(), "catching up", ready(o));
            store.cutOver(collection, g.number());
            out.printf("Search on %s now reads generation %d (%s) at %.1f%% coverage; generation %d is retired.%n",
                    collection, g.number(), g.model().key(), before.ratio() * 100, old.number());
            if (o.dropOld()) {
                store.dropGeneration(collection, old.number());
                out.printf("Dropped generation %d (%s).%n", old.number(), old.model().key());
            } else {
                out.printf("Drop it when you no longer need it: embedstream reembed %s --drop-retired%n", collection);
            }
            return before;
        }
    }

    /**
     * Ready to take over: the new generation holds at least {@code threshold} of what the active one
     * holds current now. Measured against the active generation, not the source, so a table that
     * never stops changing still cuts over: rows changed a moment ago are in flight for both models.
     */
    static java.util.function.BiPredicate<Coverage, Coverage> ready(Options o) {
        return (c, active) -> c.current() >= Math.ceil(o.threshold() * active.current());
    }

    /** Drops the collection's retired generations; returns how many. */
    public int dropRetired(String collection) {
        CollectionInfo info = store.collection(collection)
                .orElseThrow(() -> new InvalidInputException("unknown collection '" + collection + "'"));
        int dropped = 0;
        for (Generation g : info.generations()) {
            if (g.state() == Generation.State.RETIRED && store.dropGeneration(collection, g.number())) {
                out.printf("Dropped generation %d (%s) of %s.%n", g.number(), g.model().key(), collection);
                dropped++;
            }
        }
        return dropped;
    }

    /** Abandons a re-embed under way: drops the building generation; search never read it. */
    public boolean abort(String collection) {
        CollectionInfo info = store.collection(collection)
                .orElseThrow(() -> new InvalidInputException("unknown collection '" + collection + "'"));
        return info.building().map(g -> {
            store.dropGeneration(collection, g.number());
            out.printf("Abandoned generation %d (%s) of %s.%n", g.number(), g.model().key(), collection);
            return true;
        }).orElse(false);
    }

    private void backfill(CollectionInfo info) {
        try (DocumentPublisher publisher = new DocumentPublisher(context.kafka())) {
            TableBackfill.Progress p = new TableBackfill(store.dataSource(), store.config().schema(), info.name(),
                    info.source(), () -> BackfillTables.liveDocsTables(store, info.name()), publisher,
                    TableBackfill.DEFAULT_BATCH_ROWS, x -> { }).run(true); // from the start: an old checkpoint knows nothing of the new model
            out.printf("Published %d rows of %s for the new model (%d already current).%n", p.published(),
                    info.source().qualifiedTable(), p.current());
        }
    }

    private EmbedderWorker startReplay(String collection, Generation g) {
        String group = "embedstream-reembed-" + collection + "-" + g.number();
        startAtEnd(group, context.kafka().topic(Topics.REEMBED).name());
        EmbedderConfig replay = embedderConfig.forGroup(group, g.chunkOverlap(), false);
        return EmbedderWorker.startNamed("reembed", context.kafka(), replay,
                CatalogRouter.building(store, context.providers(), collection, g.number()), context.known(), Topics.REEMBED);
    }

    /**
     * Commits the replay group at the topic's end before it starts: the topic keeps earlier re-embeds'
     * replays (perhaps of this collection, with texts since changed or deleted), which are not ours.
     */
    private void startAtEnd(String group, String topic) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                context.kafka().clientProperties("reembed-admin"))) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> ends =
                    new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) ->
                    ends.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, ends).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the replay of " + topic, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot position the re-embed's consumer group " + group + " on " + topic
                    + ": " + e.getCause(), e.getCause());
        }
    }

    private static void requireRunning(EmbedderWorker replay, String collection) {
        if (!replay.isRunning()) {
            Throwable f = replay.failure();
            throw new IllegalStateException("the re-embed's embedder of " + collection + " stopped"
                    + (f == null ? "" : ": " + f.getMessage()), f);
        }
    }

    /** Publishes the active generation's stored copies that the new generation lacks to the re-embed topic. */
    private void replayStoredCopies(String collection, Generation g) {
        var props = context.kafka().clientProperties("reembed");
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", 10);
        props.put("compression.type", "lz4");
        props.put("max.request.size", 2 * 1024 * 1024);
        String topic = context.kafka().topic(Topics.REEMBED).name();
        long sent = 0;
        long noCopy = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            String after = null;
            while (true) {
                List<VectorStore.StoredCopy> page = store.pendingCopies(collection, g.number(), after, 500);
                if (page.isEmpty()) {
                    break;
                }
                List<Future<?>> acks = new ArrayList<>(page.size());
                for (VectorStore.StoredCopy copy : page) {
                    after = copy.id();
                    if (copy.text() == null) {
                        noCopy++;
                        continue;
                    }
                    var doc = new dev.embedstream.contracts.Document(collection, copy.id(), copy.text(), copy.metadata(),
                            copy.version());
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, Json.write(new DocumentKey(collection,
                            copy.id())), Json.write(doc));
                    if (copy.sourceOffset() != null) {
                        r.headers().add(Topics.SOURCE_OFFSET_HEADER,
                                Long.toString(copy.sourceOffset()).getBytes(StandardCharsets.UTF_8));
                    }
                    acks.add(producer.send(r));
                    sent++;
                }
                for (Future<?> ack : acks) {
                    ack.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + collection, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the replay of " + collection + ": " + e.getCause(), e.getCause());
        }
        out.printf("Replaying %d stored documents of %s to the new model.%n", sent, collection);
        if (noCopy > 0) {
            throw new IllegalStateException(noCopy + " documents of " + collection + " have no stored copy of their text"
                    + " (written before copies were kept); publish them again, then re-run reembed");
        }
    }
}
