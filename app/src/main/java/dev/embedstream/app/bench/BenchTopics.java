package dev.embedstream.app.bench;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import java.util.UUID;

/** Topics of their own for one measured run, so no run reads another's records or offsets. */
final class BenchTopics {

    private BenchTopics() {
    }

    /** A new topic prefix on {@code cluster}, its topics created and serving. */
    static KafkaSettings fresh(KafkaSettings cluster) {
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), "bench", run, cluster.connection());
        TopicSetup.ensure(settings, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        return settings;
    }
}
