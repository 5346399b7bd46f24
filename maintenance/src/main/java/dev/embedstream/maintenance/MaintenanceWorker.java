package dev.embedstream.maintenance;

import dev.embedstream.contracts.BatchLoop;
import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.Topic;
import dev.embedstream.contracts.Topics;
import dev.embedstream.maintenance.internal.IndexQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance worker: the policy topology (Kafka Streams), a sampler that reports each index's
 * rows and dead tuples, and the executor that runs the commands one at a time. Any number of
 * instances may run: Kafka splits the indexes between them, and the executor's lock keeps one
 * action per index at a time even when a command is delivered twice.
 */
public final class MaintenanceWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWorker.class);
    /** A build may take hours; the consumer must not be expelled from its group meanwhile. */
    private static final int MAX_POLL_INTERVAL_MS = (int) Duration.ofHours(12).toMillis();

    private final KafkaStreams streams;
    private final MaintenanceExecutor executor;
    private final BatchLoop commands;
    private final KafkaProducer<String, IndexEvent> events;
    private final ScheduledExecutorService sampler;
    private final Topic<String, IndexEvent> eventsTopic;
    private final DataSource dataSource;
    private final String schema;
    private final Path stateDir;
    private volatile boolean closing;

    private MaintenanceWorker(KafkaSettings kafka, DataSource dataSource, String schema, MaintenanceConfig config,
                              String instance, Clock clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.eventsTopic = kafka.topic(Topics.INDEX_EVENTS);
        Topic<String, MaintenanceCommand> commandsTopic = kafka.topic(Topics.MAINTENANCE_COMMANDS);
        Map<String, Object> producerProps = kafka.clientProperties("maintenance-" + instance);
        producerProps.put("acks", "all");
        this.events = new KafkaProducer<>(producerProps, eventsTopic.key().serializer(), eventsTopic.value().serializer());
        this.executor = new MaintenanceExecutor(dataSource, schema, config, instance, this::publish, clock);
        executor.recover();
        try {
            this.stateDir = Files.createTempDirectory("embedstream-maintenance-");
        } catch (java.io.IOException e) {
            throw new MaintenanceException("cannot create a state directory for the maintenance topology", e);
        }
        this.streams = new KafkaStreams(MaintenanceTopology.build(new StreamsBuilder(), eventsTopic, commandsTopic,
                new MaintenancePolicy(config)).build(), streamsProps(kafka, instance));
        Map<String, Object> consumerProps = kafka.consumerProperties("maintenance-executor-" + instance,
                groupId(kafka, "maintenance-executor"), 1);
        consumerProps.put("max.poll.interval.ms", MAX_POLL_INTERVAL_MS);
        this.commands = new BatchLoop("maintenance", new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), List.of(commandsTopic.name()), this::handle,
                MaintenanceWorker::isRetriable, Duration.ofSeconds(30));
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedstream-maintenance-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, config.statsInterval().toMillis(), TimeUnit.MILLISECONDS);
        streams.start();
        commands.startThread("embedstream-maintenance");
    }

    /**
     * Starts a worker. {@code instance} names it in the history (several may run, for the same
     * database and cluster).
     */
    public static MaintenanceWorker start(KafkaSettings kafka, DataSource dataSource, String schema,
                                          MaintenanceConfig config, String instance, Clock clock) {
        return new MaintenanceWorker(kafka, dataSource, schema, config, instance, clock);
    }

    private Properties streamsProps(KafkaSettings kafka, String instance) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties("maintenance-streams-" + instance));
        p.remove("client.id");
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, groupId(kafka, "maintenance"));
        p.put(StreamsConfig.CLIENT_ID_CONFIG, kafka.clientIdPrefix() + "-maintenance-" + instance);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // One unreadable event must not stop the policy for every index.
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                org.apache.kafka.streams.errors.LogAndContinueExceptionHandler.class);
        return p;
    }

    /** One group per deployment: a topic prefix is a deployment of its own on a shared cluster. */
    private static String groupId(KafkaSettings kafka, String role) {
        String prefix = kafka.topicPrefix().isEmpty() ? "" : "-" + kafka.topicPrefix().replaceAll("[^A-Za-z0-9._-]", "_");
        return kafka.clientIdPrefix() + "-" + role + prefix;
    }

    private void handle(List<ConsumerRecord<byte[], byte[]>> batch, Map<String, Object> details) {
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            MaintenanceCommand cmd;
            try {
                cmd = Json.read(r.value(), MaintenanceCommand.class);
            } catch (RuntimeException e) {
                log.warn("unreadable maintenance command at offset {} skipped: {}", r.offset(), e.toString());
                continue;
            }
            MaintenanceExecutor.Result result;
            try {
                result = executor.execute(cmd);
            } catch (RuntimeException e) {
                if (isRetriable(e)) {
                    throw e; // the database is unreachable: the same command again, after a pause
                }
                log.error("maintenance {} of {} could not run and is dropped: {}", cmd.action(), cmd.index(), e.toString());
                continue;
            }
            details.put("action", cmd.action());
            details.put("index", cmd.index());
            details.put("outcome", result.outcome());
            if (result.outcome() == MaintenanceExecutor.Outcome.INTERRUPTED) {
                // Not committed: the command runs again, here after a pause (someone cancelled the
                // build), or at the next start when this worker is the one stopping.
                String why = "maintenance " + cmd.action() + " of " + cmd.index() + " interrupted: " + result.detail();
                throw closing ? new MaintenanceException(why, null) : new Interrupted(why);
            }
        }
    }

    /** An action cut short while the worker goes on: it is retried after a pause. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted(String message) {
            super(message);
        }
    }

    private static boolean isRetriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Interrupted || t instanceof SQLTransientException || t instanceof java.net.ConnectException
                    || t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Reports every index's rows and dead tuples, so the policy's counts stay true and vacuum can fire. */
    public void sample() {
        try (Connection c = dataSource.getConnection()) {
            long now = System.currentTimeMillis();
            List<IndexSize> sizes = new java.util.ArrayList<>();
            for (IndexQueries.IndexedTable t : new IndexQueries(schema).all(c)) {
                if (t.exists()) {
                    publish(IndexEvent.stats(t.collection(), t.generation(), t.index(), t.table(), t.liveTuples(),
                            t.deadTuples(), t.m(), now));
                    sizes.add(new IndexSize(t.collection(), t.generation(), t.sizeBytes(), t.liveTuples(), t.deadTuples()));
                }
            }
            sampled.accept(List.copyOf(sizes));
        } catch (SQLException | RuntimeException e) {
            log.warn("sampling index statistics failed: {}", e.toString());
        }
    }

    private void publish(IndexEvent e) {
        events.send(new ProducerRecord<>(eventsTopic.name(), e.key(), e), (m, error) -> {
            if (error != null) {
                log.warn("index event for {} not published: {}", e.key(), error.toString());
            }
        });
    }

    /** The executor of this worker (its counts feed {@link MaintenanceMetrics}). */
    public MaintenanceExecutor executor() {
        return executor;
    }

    /** One index as last sampled. */
    public record IndexSize(String collection, int generation, long bytes, long rows, long deadTuples) {
    }

    private volatile java.util.function.Consumer<List<IndexSize>> sampled = x -> { };

    /** Called with every sample of the indexes (for gauges). */
    public void onSample(java.util.function.Consumer<List<IndexSize>> listener) {
        this.sampled = listener;
        sampler.execute(this::sample);
    }

    /** The stock Kafka Streams meters of the policy topology. */
    public io.micrometer.core.instrument.binder.MeterBinder streamsMetrics() {
        return new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(streams);
    }

    /** The build running on this instance now, if any. */
    public java.util.Optional<MaintenanceExecutor.Progress> progress() {
        return executor.progress();
    }

    public boolean isRunning() {
        return commands.isAlive() && streams.state().isRunningOrRebalancing();
    }

    /** Why the worker stopped, if it failed. */
    public Throwable failure() {
        return commands.failure();
    }

    /** Stops; a build under way is cancelled and its command runs again at the next start. */
    @Override
    public void close() {
        closing = true;
        sampler.shutdownNow();
        executor.cancel();
        commands.stopAndJoin(Duration.ofSeconds(30));
        // Leaving the group at once lets the other instances take over now, not after a session timeout.
        boolean closed = streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
                org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        events.close(Duration.ofSeconds(5));
        if (!closed) {
            log.warn("the maintenance topology did not stop within 30 s; its state stays in {}", stateDir);
            return;
        }
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            log.debug("state directory {} not removed: {}", stateDir, e.toString());
        }
    }
}
