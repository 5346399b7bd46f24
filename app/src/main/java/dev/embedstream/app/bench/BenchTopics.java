package dev.embedstream.app.bench;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;

/** Topics of their own for one measured run, so no run reads another's records or offsets. */
public final class BenchTopics {

    /** The prefixes of this process's runs: every topic and consumer group a run made carries one. */
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    private BenchTopics() {
    }

    /** A new topic prefix on {@code cluster}, its topics created and serving. */
    static KafkaSettings fresh(KafkaSettings cluster) {
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), "bench", run, cluster.connection());
        CREATED.add(run);
        TopicSetup.ensure(settings, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        return settings;
    }

    /**
     * Deletes the topics and consumer groups of this process's runs from {@code cluster}, so a bench
     * against a shared cluster leaves nothing behind; returns how many topics went.
     */
    public static int deleteCreated(KafkaSettings cluster) {
        if (CREATED.isEmpty()) {
            return 0;
        }
        try (Admin admin = Admin.create(cluster.adminProperties())) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                    .filter(BenchTopics::ours).toList();
            if (!groups.isEmpty()) {
                admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
            }
            List<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> CREATED.stream().anyMatch(t::startsWith)).toList();
            if (!topics.isEmpty()) {
                admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
            }
            CREATED.clear();
            return topics.size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not delete the bench's topics and groups (prefixes " + CREATED + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the bench's topics", e);
        }
    }

    private static boolean ours(String group) {
        return CREATED.stream().anyMatch(group::contains);
    }
}
