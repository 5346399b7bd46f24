package dev.embedstream.contracts;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the Kafka cluster is. With no {@code EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS} the all-in-one
 * app starts its own single-node broker.
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, String topicPrefix) {

    public static final String BOOTSTRAP_SERVERS = "EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String CLIENT_ID_PREFIX = "EMBEDSTREAM_KAFKA_CLIENT_ID_PREFIX";
    public static final String TOPIC_PREFIX = "EMBEDSTREAM_KAFKA_TOPIC_PREFIX";
    public static final String DEFAULT_CLIENT_ID_PREFIX = "embedstream";
    public static final String DEFAULT_TOPIC_PREFIX = "";
    private static final java.util.regex.Pattern TOPIC_CHARS = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{0,100}");

    public KafkaSettings {
        ConfigLookup.requireNonBlank(BOOTSTRAP_SERVERS, bootstrapServers);
        ConfigLookup.requireNonBlank(CLIENT_ID_PREFIX, clientIdPrefix);
        topicPrefix = topicPrefix == null ? DEFAULT_TOPIC_PREFIX : topicPrefix;
        if (!TOPIC_CHARS.matcher(topicPrefix).matches()) {
            throw new ConfigException(TOPIC_PREFIX, "use up to 100 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
    }

    public static KafkaSettings from(ConfigLookup config) {
        return new KafkaSettings(config.required(BOOTSTRAP_SERVERS),
                config.string(CLIENT_ID_PREFIX, DEFAULT_CLIENT_ID_PREFIX),
                config.string(TOPIC_PREFIX, DEFAULT_TOPIC_PREFIX));
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_CLIENT_ID_PREFIX, DEFAULT_TOPIC_PREFIX);
    }

    /**
     * Properties of a worker's consumer: manual commits (offsets are committed only after the work is
     * durable), reading from the start of a new group, and batches of at most {@code maxPollRecords}.
     */
    public Map<String, Object> consumerProperties(String role, String groupId, int maxPollRecords) {
        Map<String, Object> props = clientProperties(role);
        props.put("group.id", groupId);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("max.poll.records", maxPollRecords);
        return props;
    }

    /** The topic as this deployment names it: the configured prefix before the standard name. */
    public <K, V> Topic<K, V> topic(Topic<K, V> topic) {
        return topicPrefix.isEmpty() ? topic : topic.withName(topicPrefix + topic.name());
    }

    /** Base client properties for a client of the given role, e.g. {@code embedder}. */
    public Map<String, Object> clientProperties(String role) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", clientIdPrefix + "-" + role);
        return props;
    }
}
