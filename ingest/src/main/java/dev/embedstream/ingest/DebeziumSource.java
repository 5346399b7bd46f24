package dev.embedstream.ingest;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Debezium source: the {@link DebeziumTopology} of one table as a Kafka Streams application,
 * from its Debezium topics to this deployment's documents and dead-letter topics.
 */
public final class DebeziumSource implements AutoCloseable, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(DebeziumSource.class);

    private final DebeziumSourceConfig config;
    private final DebeziumCounters counters;
    private final KafkaStreams streams;
    private volatile Throwable failure;

    private DebeziumSource(KafkaSettings kafka, DebeziumSourceConfig config) {
        this.config = config;
        this.counters = new DebeziumCounters(config.collection());
        StreamsBuilder builder = DebeziumTopology.build(new StreamsBuilder(), config, kafka.topic(Topics.DOCUMENTS),
                kafka.topic(Topics.DEAD_LETTERS), counters);
        this.streams = new KafkaStreams(builder.build(), streamsProperties(kafka, config));
        // A failure here is not one bad event (those are dead letters) but Kafka refusing, e.g. a missing
        // Debezium topic: stop and say so (isRunning, failure) rather than retry it forever.
        streams.setUncaughtExceptionHandler(e -> {
            failure = e;
            log.error("Debezium source of collection {} stopped", config.collection(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** Starts reading {@code config.topics()}: a new application id starts from the earliest offset, the snapshot. */
    public static DebeziumSource start(KafkaSettings kafka, DebeziumSourceConfig config) {
        DebeziumSource source = new DebeziumSource(kafka, config);
        source.streams.start();
        log.info("Debezium source: {} -> collection {} (application id {})", String.join(", ", config.topics()),
                config.collection(), config.applicationId());
        return source;
    }

    static Properties streamsProperties(KafkaSettings kafka, DebeziumSourceConfig config) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties("debezium-" + config.collection()));
        p.remove("client.id");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, kafka.clientIdPrefix() + "-debezium-" + config.collection());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // A document's text may be 512 KiB and its metadata more; the producer default of 1 MiB is close.
        p.put(StreamsConfig.producerPrefix("max.request.size"), 2 * 1024 * 1024);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        // One document's changes must reach the documents topic in the order they were read; an idempotent
        // producer keeps that order across retries.
        p.put(StreamsConfig.producerPrefix("acks"), "all");
        p.put(StreamsConfig.producerPrefix("enable.idempotence"), true);
        // At-least-once: after a crash up to one commit interval is read again, harmless (the writer
        // upserts) but work for the embedder, so commit often.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        return p;
    }

    public DebeziumSourceConfig config() {
        return config;
    }

    /** What became of the events read so far. */
    public DebeziumCounters counters() {
        return counters;
    }

    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Why the source stopped, if it failed. */
    public Throwable failure() {
        return failure;
    }

    /** The event counters and the stock Kafka Streams meters. */
    @Override
    public void bindTo(MeterRegistry registry) {
        counters.bindTo(registry);
        new KafkaStreamsMetrics(streams).bindTo(registry);
    }

    /** Stops and leaves the group at once, so another instance takes the partitions over now. */
    @Override
    public void close() {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        if (!closed) {
            log.warn("the Debezium source of collection {} did not stop within 30 s", config.collection());
        }
    }
}
