package dev.embedstream.contracts;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the Kafka cluster is. With no {@code EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS} the all-in-one
 * app starts its own single-node broker.
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix) {

    public static final String BOOTSTRAP_SERVERS = "EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String CLIENT_ID_PREFIX = "EMBEDSTREAM_KAFKA_CLIENT_ID_PREFIX";
    public static final String DEFAULT_CLIENT_ID_PREFIX = "embedstream";

    public KafkaSettings {
        ConfigLookup.requireNonBlank(BOOTSTRAP_SERVERS, bootstrapServers);
        ConfigLookup.requireNonBlank(CLIENT_ID_PREFIX, clientIdPrefix);
    }

    public static KafkaSettings from(ConfigLookup config) {
        return new KafkaSettings(config.required(BOOTSTRAP_SERVERS),
                config.string(CLIENT_ID_PREFIX, DEFAULT_CLIENT_ID_PREFIX));
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, DEFAULT_CLIENT_ID_PREFIX);
    }

    /** Base client properties for a client of the given role, e.g. {@code embedder}. */
    public Map<String, Object> clientProperties(String role) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("client.id", clientIdPrefix + "-" + role);
        return props;
    }
}
