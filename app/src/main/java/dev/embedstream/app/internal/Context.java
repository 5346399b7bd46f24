package dev.embedstream.app.internal;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.Pipeline;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.embedder.KnownContent;
import dev.embedstream.writer.VectorStore;

/**
 * What a long command (backfill, reembed) works with. Without a configured Kafka cluster the whole
 * pipeline runs in this process (a local broker, the embedder, the writer), so the command finishes
 * the work itself; with one, it only publishes and watches, and the workers run elsewhere.
 */
public class Context implements AutoCloseable {

    private final Pipeline pipeline;
    private final VectorStore store;
    private final Providers providers;
    private final KafkaSettings kafka;
    private final KnownContent known;

    private Context(Pipeline pipeline, VectorStore store, Providers providers, KafkaSettings kafka, KnownContent known) {
        this.pipeline = pipeline;
        this.store = store;
        this.providers = providers;
        this.kafka = kafka;
        this.known = known;
    }

    public static Context open(AppConfig config) {
        if (config.kafka().isEmpty()) {
            Pipeline p = Pipeline.start(config, Pipeline.PROCESSING);
            return new Context(p, p.store(), p.providers(), p.kafka(), p.knownContent());
        }
        KafkaSettings kafka = config.kafka().get();
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS);
        VectorStore store = VectorStore.open(config.writer());
        return new Context(null, store, new Providers(config), kafka, KnownContent.NONE);
    }

    /** A pipeline someone else started and will close. */
    public static Context of(Pipeline p) {
        return new Context(p, p.store(), p.providers(), p.kafka(), p.knownContent()) {
            @Override
            public void close() {
            }
        };
    }

    /** Only the store, for commands that change the catalog and nothing else; closing leaves it open. */
    public static Context ofStore(VectorStore store) {
        return new Context(null, store, null, null, KnownContent.NONE) {
        };
    }

    /** True when the embedder and writer run in this process. */
    public boolean inProcess() {
        return pipeline != null;
    }

    public VectorStore store() {
        return store;
    }

    public Providers providers() {
        return providers;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public KnownContent known() {
        return known;
    }

    /** Throws when an in-process worker stopped on a failure: waiting for it would never end. */
    public void requireHealthy() {
        if (pipeline != null) {
            pipeline.requireHealthy();
        }
    }

    @Override
    public void close() {
        if (pipeline != null) {
            pipeline.close();
        } else if (providers != null) {
            providers.close();
            store.close();
        }
    }
}
