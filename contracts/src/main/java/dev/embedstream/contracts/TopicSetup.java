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

    public static void ensure(KafkaSettings kafka, int partitions, short replication) {
        List<NewTopic> wanted = new ArrayList<>();
        wanted.add(new NewTopic(kafka.topic(Topics.DOCUMENTS).name(), partitions, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "2097152")));
        wanted.add(new NewTopic(kafka.topic(Topics.EMBEDDINGS).name(), partitions, replication)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "8388608")));
        wanted.add(new NewTopic(kafka.topic(Topics.REEMBED).name(), partitions, replication)
                .configs(Map.of("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()),
                        "max.message.bytes", "2097152")));
        wanted.add(new NewTopic(kafka.topic(Topics.DEAD_LETTERS).name(), 1, replication)
                .configs(Map.of("retention.ms", "-1", "max.message.bytes", "8388608")));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topics on " + kafka.bootstrapServers() + ": "
                        + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
