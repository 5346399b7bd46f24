package dev.embedstream.app;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.devservices.LocalKafka;
import dev.embedstream.embedder.EmbedderWorker;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterWorker;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one process: Kafka (the configured cluster, or a local broker), and all or some of
 * the embedder with the configured provider, the writer and index maintenance. Closing stops them in
 * reverse order.
 */
public final class Pipeline implements AutoCloseable {

    /** The workers a process can run; any number of processes may run each. */
    public enum Worker { INGEST, EMBEDDER, WRITER, MAINTENANCE }

    /**
     * The workers that turn published documents into indexed vectors: what the CLI's one-shot commands
     * (demo, backfill, reembed, ...) need; they publish themselves, so they serve no ingest API and
     * start no Debezium source even when one is configured for {@code run}.
     */
    public static final java.util.Set<Worker> PROCESSING =
            java.util.Collections.unmodifiableSet(java.util.EnumSet.of(Worker.EMBEDDER, Worker.WRITER, Worker.MAINTENANCE));

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AppConfig config;
    private final KafkaSettings kafka;
    private final VectorStore store;
    private final dev.embedstream.app.internal.Providers providers;
    private final EmbeddingProvider provider;
    private final EmbedderWorker embedder;
    private final WriterWorker writer;
    private final io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
            new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);

    private final java.util.Set<Worker> workers;

    private Pipeline(AppConfig config, java.util.Set<Worker> workers) {
        this.config = config;
        this.workers = java.util.Set.copyOf(workers);
        try {
            kafka = config.kafka().orElseGet(this::startLocalKafka);
            TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS);
            store = remember(VectorStore.open(config.writer(), meters));
            log.info("PostgreSQL at {} with pgvector {}", dev.embedstream.contracts.Texts.redactUrl(config.writer().jdbcUrl()), store.pgvectorVersion());
            checkIndexes(config);
            providers = remember(new dev.embedstream.app.internal.Providers(config));
            startIngest();
            if (workers.contains(Worker.EMBEDDER)) {
                provider = providers.defaultProvider();
                warnAboutOtherModels();
                known = remember(new dev.embedstream.app.internal.StoreKnownContent(store, kafka,
                        config.writer().groupId(), kafka.topic(dev.embedstream.contracts.Topics.EMBEDDINGS).name()));
                embedder = remember(EmbedderWorker.start(kafka, config.embedder(),
                        dev.embedstream.app.internal.CatalogRouter.live(store, providers, config.embedder().chunkOverlapTokens(),
                                config.embedder().createCollections()),
                        known));
                new dev.embedstream.embedder.EmbedderMetrics(embedder, provider).bindTo(meters);
            } else {
                provider = null;
                embedder = null;
            }
            if (workers.contains(Worker.WRITER)) {
                writer = remember(WriterWorker.start(kafka, config.writer(), store));
                new dev.embedstream.writer.WriterMetrics(writer).bindTo(meters);
            } else {
                writer = null;
            }
            log.info("workers in this process: {}", this.workers);
            bindLag(config);
            coverage = remember(new dev.embedstream.app.internal.CoverageMonitor(store, java.time.Clock.systemUTC(),
                    dev.embedstream.contracts.ConfigLookup.env().duration(dev.embedstream.app.internal.CoverageMonitor.INTERVAL,
                            dev.embedstream.app.internal.CoverageMonitor.DEFAULT_INTERVAL)));
            coverage.bindTo(meters);
            maintenance = startMaintenance();
            if (maintenance != null) {
                new dev.embedstream.maintenance.MaintenanceMetrics(maintenance).bindTo(meters);
            }
            new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
            new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(meters);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * At start-up: what the pgvector version means for index work, and any index left invalid by an
     * interrupted concurrent build (it slows every write and serves no query) is reported.
     */
    private void checkIndexes(AppConfig config) {
        var health = new dev.embedstream.maintenance.IndexHealth(store.dataSource(), config.writer().schema()).check();
        health.warnings().forEach(w -> log.warn("index health: {}", w));
        indexHealth = health;
        for (var info : store.collections(store.collections()).values()) {
            if (!info.active().indexBuilt()) {
                log.warn("collection {} has no HNSW index yet (searches scan it): a table collection is indexed when"
                        + " its backfill completes; run `embedstream backfill {}`", info.name(), info.name());
            }
        }
    }

    private volatile dev.embedstream.maintenance.HealthReport indexHealth;
    private dev.embedstream.ingest.HttpIngest httpIngest;
    private dev.embedstream.ingest.DebeziumSource debezium;

    /**
     * The ingest worker: the HTTP publish API (served by this process's HTTP endpoints) and, when
     * {@code EMBEDSTREAM_DEBEZIUM_TOPICS} names change topics, the Debezium source.
     */
    private void startIngest() {
        if (!workers.contains(Worker.INGEST)) {
            return;
        }
        var env = dev.embedstream.contracts.ConfigLookup.env();
        var publisher = remember(new dev.embedstream.ingest.DocumentPublisher(kafka));
        httpIngest = new dev.embedstream.ingest.HttpIngest(publisher, dev.embedstream.ingest.HttpIngestConfig.from(env));
        httpIngest.bindTo(meters);
        if (env.raw(dev.embedstream.ingest.DebeziumSourceConfig.TOPICS) != null) {
            debezium = remember(dev.embedstream.ingest.DebeziumSource.start(kafka,
                    dev.embedstream.ingest.DebeziumSourceConfig.from(env)));
            debezium.bindTo(meters);
            log.info("Debezium source: {}", debezium.config());
        }
    }

    /** The HTTP publish API when this process runs the ingest worker. */
    public java.util.Optional<dev.embedstream.ingest.HttpIngest> httpIngest() {
        return java.util.Optional.ofNullable(httpIngest);
    }

    /** The Debezium source when one is configured and this process runs the ingest worker. */
    public java.util.Optional<dev.embedstream.ingest.DebeziumSource> debezium() {
        return java.util.Optional.ofNullable(debezium);
    }

    /** The start-up index health check (pgvector version consequences, invalid indexes). */
    public dev.embedstream.maintenance.HealthReport indexHealth() {
        return indexHealth;
    }

    /**
     * The configured provider applies to new collections; an existing collection keeps the model
     * it was embedded with (its vectors are not silently replaced): say so, and how to change it.
     */
    /**
     * The same model with other dimensions is almost always an edited config meant for existing
     * collections: starting would leave them on the old vectors while the operator believes they moved,
     * so the process refuses and says how to do either on purpose.
     */
    static void refuseChangedDimensions(String collection, dev.embedstream.contracts.ModelId recorded,
                                        dev.embedstream.contracts.ModelId configured) {
        if (recorded.name().equals(configured.name()) && recorded.variant().equals(configured.variant())
                && recorded.dimensions() != configured.dimensions()) {
            throw new dev.embedstream.contracts.ConfigException(dev.embedstream.embedder.OpenAiConfig.DIMENSIONS,
                    "the configured model " + configured.key()
                    + " has other dimensions than collection '" + collection + "' embedded with " + recorded.key()
                    + ": nothing started, nothing written. To keep the collection as it is, configure "
                    + recorded.dimensions() + " dimensions again; to move it to " + configured.dimensions()
                    + " without search downtime: embedstream reembed " + collection + " --model "
                    + configured.name() + " --dimensions " + configured.dimensions());
        }
    }

    private void warnAboutOtherModels() {
        for (var info : store.collections(store.collections()).values()) {
            if (info.live().stream().noneMatch(g -> g.model().equals(provider.model()))) {
                refuseChangedDimensions(info.name(), info.model(), provider.model());
            }
            if (!info.model().equals(provider.model())) {
                log.warn("collection {} keeps its model {}; the configured {} applies to new collections"
                        + " (to change it: embedstream reembed {} --model {})", info.name(), info.model().key(),
                        provider.model().key(), info.name(), provider.model().name());
            }
        }
    }

    private dev.embedstream.app.internal.StoreKnownContent known;
    private dev.embedstream.maintenance.MaintenanceWorker maintenance;

    /** Growth- and churn-triggered index maintenance, unless EMBEDSTREAM_MAINTENANCE_ENABLED=false. */
    private dev.embedstream.maintenance.MaintenanceWorker startMaintenance() {
        if (!workers.contains(Worker.MAINTENANCE)) {
            return null;
        }
        var settings = dev.embedstream.maintenance.MaintenanceConfig.from(dev.embedstream.contracts.ConfigLookup.env());
        if (!settings.enabled()) {
            log.info("index maintenance is off ({}=false)", dev.embedstream.maintenance.MaintenanceConfig.ENABLED);
            return null;
        }
        return remember(dev.embedstream.maintenance.MaintenanceWorker.start(kafka, store.dataSource(),
                config.writer().schema(), settings, instanceName(), java.time.Clock.systemUTC()));
    }

    private static String instanceName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
        } catch (java.net.UnknownHostException e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }

    /** The maintenance worker of this process, or null when it is off. */
    public dev.embedstream.maintenance.MaintenanceWorker maintenance() {
        return maintenance;
    }
    private dev.embedstream.app.internal.CoverageMonitor coverage;

    /** Exact coverage of every collection, measured on a schedule. */
    public dev.embedstream.app.internal.CoverageMonitor coverage() {
        return coverage;
    }

    /** The providers of this process: the default and those of re-embed targets. */
    public dev.embedstream.app.internal.Providers providers() {
        return providers;
    }

    /** What the store holds, for the never-pay-twice check of extra embedder workers. */
    public dev.embedstream.embedder.KnownContent knownContent() {
        return known;
    }

    public AppConfig config() {
        return config;
    }

    /** Every worker in this process. */
    public static Pipeline start(AppConfig config) {
        return new Pipeline(config, java.util.EnumSet.allOf(Worker.class));
    }

    /** Only the named workers: scale each by running more processes of it. */
    public static Pipeline start(AppConfig config, java.util.Set<Worker> workers) {
        if (workers.isEmpty()) {
            throw new dev.embedstream.contracts.InvalidInputException("no worker to run: name ingest, embedder, writer or maintenance");
        }
        return new Pipeline(config, workers);
    }

    /** Which workers this process runs. */
    public java.util.Set<Worker> workers() {
        return workers;
    }

    private KafkaSettings startLocalKafka() {
        LocalKafka local = remember(LocalKafka.start());
        return KafkaSettings.of(local.bootstrapServers());
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.push(resource);
        return resource;
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public VectorStore store() {
        return store;
    }

    /** The default provider, or null when this process runs no embedder. */
    public EmbeddingProvider provider() {
        return provider;
    }

    /** The embedder, or null when this process runs none. */
    public EmbedderWorker embedder() {
        return embedder;
    }

    /** The writer, or null when this process runs none. */
    public WriterWorker writer() {
        return writer;
    }

    /**
     * Consumer lag per worker group, read from the broker at each scrape: the records each worker
     * still has to do. Unknown (NaN) while the broker does not answer.
     */
    private void bindLag(AppConfig config) {
        org.apache.kafka.clients.admin.Admin admin = remember(org.apache.kafka.clients.admin.Admin.create(
                kafka.adminProperties(java.time.Duration.ofSeconds(3))));
        lagGauge(admin, config.embedder().groupId(), kafka.topic(dev.embedstream.contracts.Topics.DOCUMENTS).name());
        lagGauge(admin, config.writer().groupId(), kafka.topic(dev.embedstream.contracts.Topics.EMBEDDINGS).name());
    }

    private void lagGauge(org.apache.kafka.clients.admin.Admin admin, String group, String topic) {
        io.micrometer.core.instrument.Gauge.builder("embedstream.consumer.lag", admin, a -> {
            try {
                return dev.embedstream.contracts.ConsumerLag.of(a, group, topic);
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description("records not yet processed by a worker group").tag("group", group).tag("topic", topic)
                .baseUnit("records").register(meters);
    }

    /** All meters of this process, in Prometheus form. */
    public io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters() {
        return meters;
    }

    public String embedderGroup() {
        return config.embedder().groupId();
    }

    public String writerGroup() {
        return config.writer().groupId();
    }

    /** Throws if a worker stopped on a failure, so callers never wait for work that cannot finish. */
    public void requireHealthy() {
        if (embedder != null && !embedder.isRunning()) {
            throw new IllegalStateException("the embedder stopped", embedder.failure());
        }
        if (writer != null && !writer.isRunning()) {
            throw new IllegalStateException("the writer stopped", writer.failure());
        }
        if (maintenance != null && !maintenance.isRunning()) {
            throw new IllegalStateException("index maintenance stopped", maintenance.failure());
        }
        if (debezium != null && !debezium.isRunning()) {
            throw new IllegalStateException("the Debezium source stopped", debezium.failure());
        }
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
