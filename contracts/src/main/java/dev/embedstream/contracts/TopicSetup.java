package dev.embedstream.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics when missing. The documents topic is compacted: it keeps the
 * latest version of every document, which is what a re-embed replays.
 */
public final class TopicSetup {

    public static final int DEFAULT_PARTITIONS = 4;

    private TopicSetup() {
    }

    /**
     * A topic is created before its partitions have leaders: an idempotent producer that writes at
     * once can be told NOT_LEADER and then, on retry, get stuck on OUT_OF_ORDER_SEQUENCE until its
     * delivery timeout. So setup returns only when every new partition has a leader that serves it.
     */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready && partitionsOpen(admin, topics)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + topics + " have no leader serving them after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * A leader in the metadata is not yet a partition its broker serves: a produce request that arrives
     * in between is refused while a later one is accepted, and the idempotent producer then retries the
     * first until its delivery timeout and drops it (KAFKA-15591, seen here with 100,000 documents
     * published at once into new topics). A partition that answers ListOffsets is served.
     */
    private static boolean partitionsOpen(Admin admin, List<String> topics) throws InterruptedException {
        try {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().forEach(d -> d.partitions()
                    .forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(d.name(), p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest())));
            admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions().timeoutMs(5_000))
                    .all().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * Creates the missing topics with the cluster's own {@code default.replication.factor}: a
     * production cluster's setting (3, say, with {@code min.insync.replicas} 2) is what makes the
     * producers' {@code acks=all} mean something; a single-node broker's is 1.
     */
    public static void ensure(KafkaSettings kafka, int partitions) {
        ensure(kafka, partitions, java.util.Optional.empty());
    }

    /** As {@link #ensure(KafkaSettings, int)} with an explicit replication factor. */
    public static void ensure(KafkaSettings kafka, int partitions, short replication) {
        ensure(kafka, partitions, java.util.Optional.of(replication));
    }

    private static NewTopic topic(String name, int partitions, java.util.Optional<Short> replication) {
        return new NewTopic(name, java.util.Optional.of(partitions), replication);
    }

    private static void ensure(KafkaSettings kafka, int partitions, java.util.Optional<Short> replication) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(topic(kafka.topic(Topics.DOCUMENTS).name(), partitions, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "2097152")));
        wanted.add(topic(kafka.topic(Topics.EMBEDDINGS).name(), partitions, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "8388608")));
        wanted.add(topic(kafka.topic(Topics.REEMBED).name(), partitions, replication)
                .configs(Map.of("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()),
                        "max.message.bytes", "2097152")));
        wanted.add(topic(kafka.topic(Topics.INDEX_EVENTS).name(), partitions, replication)
                .configs(Map.of("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()))));
        wanted.add(topic(kafka.topic(Topics.MAINTENANCE_COMMANDS).name(), partitions, replication)
                .configs(Map.of("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()))));
        wanted.add(topic(kafka.topic(Topics.DEAD_LETTERS).name(), 1, replication)
                .configs(Map.of("retention.ms", "-1", "max.message.bytes", "8388608")));
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.SslAuthenticationException) {
                throw new IllegalStateException("the TLS handshake with Kafka at " + kafka.bootstrapServers() + " failed"
                        + " (does the trust store in the ssl.truststore.* settings of " + KafkaSettings.PROPERTIES_FILE
                        + " hold the broker's certificate or its CA, and does that certificate name this address?): "
                        + rootMessage(e.getCause()), e.getCause());
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException) {
                throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " refused embedstream's client"
                        + " (check the security settings of " + KafkaSettings.PROPERTIES_FILE + "): "
                        + e.getCause().getMessage(), e.getCause());
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
                throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " logged embedstream's client in"
                        + " but does not let it list or create its topics " + wanted.stream().map(NewTopic::name).toList()
                        + " (grant the principal DESCRIBE and CREATE on them, or create them beforehand): "
                        + e.getCause().getMessage(), e.getCause());
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics on " + kafka.bootstrapServers() + ": "
                        + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            // a client speaking the wrong protocol to a listener (plain text to TLS or SASL) only ever times out
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 30 s ("
                    + (kafka.connection().isEmpty() ? "is it running at that address? It was spoken to in plain text: a TLS or"
                            + " SASL listener needs " + KafkaSettings.PROPERTIES_FILE : "with security.protocol "
                            + kafka.connection().getOrDefault("security.protocol", "PLAINTEXT") + " from "
                            + KafkaSettings.PROPERTIES_FILE + ": does the listener speak it?") + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Kafka says only "SSL handshake failed"; the JDK's reason (an unknown issuer, a name that does not match) is deepest. */
    private static String rootMessage(Throwable e) {
        Throwable root = Throwables.root(e);
        return root == e ? e.getMessage() : e.getMessage() + ": " + root.getMessage();
    }
}
