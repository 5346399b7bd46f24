package dev.embedstream.client;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Settings of an {@link EmbedstreamClient}, validated when built: a bad value fails with a
 * {@link ConfigException} naming its key.
 *
 * <p>The Kafka keys are the ones the workers read ({@code EMBEDSTREAM_KAFKA_*}), so an application
 * deployed beside them can share their environment and writes to the same, prefixed topic.
 *
 * @param bootstrapServers the Kafka cluster ({@value #BOOTSTRAP_SERVERS}); required
 * @param clientIdPrefix   Kafka client id prefix ({@value #CLIENT_ID_PREFIX}); null for the default
 * @param topicPrefix      prefix of the documents topic's name ({@value #TOPIC_PREFIX}); null for none
 * @param linger           how long the producer waits to fill a batch ({@value #LINGER}); null for the default
 * @param deliveryTimeout  how long a document may take to be acknowledged, retries included, before its
 *                         future fails ({@value #DELIVERY_TIMEOUT}); also bounds {@code close()}; null for the default
 * @param maxBlock         how long {@code publish} may block the caller while the producer's buffer is full
 *                         or the cluster unknown ({@value #MAX_BLOCK}); null for the default
 * @param kafkaProperties  further producer properties, e.g. {@code security.protocol} and SASL or TLS
 *                         settings; those the contract depends on ({@link #RESERVED_KAFKA_PROPERTIES})
 *                         are refused
 */
public record ClientConfig(String bootstrapServers, String clientIdPrefix, String topicPrefix, Duration linger,
                           Duration deliveryTimeout, Duration maxBlock, Map<String, String> kafkaProperties) {

    public static final String BOOTSTRAP_SERVERS = KafkaSettings.BOOTSTRAP_SERVERS;
    public static final String CLIENT_ID_PREFIX = KafkaSettings.CLIENT_ID_PREFIX;
    public static final String TOPIC_PREFIX = KafkaSettings.TOPIC_PREFIX;
    public static final String LINGER = "EMBEDSTREAM_CLIENT_LINGER";
    public static final String DELIVERY_TIMEOUT = "EMBEDSTREAM_CLIENT_DELIVERY_TIMEOUT";
    public static final String MAX_BLOCK = "EMBEDSTREAM_CLIENT_MAX_BLOCK";

    public static final String DEFAULT_CLIENT_ID_PREFIX = KafkaSettings.DEFAULT_CLIENT_ID_PREFIX;
    public static final String DEFAULT_TOPIC_PREFIX = KafkaSettings.DEFAULT_TOPIC_PREFIX;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(5);
    public static final Duration MAX_LINGER = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(60);
    /** Kafka's per-request timeout; the producer refuses a delivery timeout shorter than it plus the linger. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Producer properties the client sets itself: the serializers, acks and idempotence make the records
     * byte-for-byte what the workers expect and never lost or duplicated by a retry, and the default
     * partitioner keeps every event of a document in one partition, in order.
     */
    public static final Set<String> RESERVED_KAFKA_PROPERTIES = Set.of(
            "bootstrap.servers", "client.id", "key.serializer", "value.serializer", "acks", "enable.idempotence",
            "retries", "max.in.flight.requests.per.connection", "partitioner.class", "partitioner.ignore.keys",
            "transactional.id", "max.request.size", "linger.ms", "delivery.timeout.ms", "request.timeout.ms",
            "max.block.ms");

    public ClientConfig {
        clientIdPrefix = clientIdPrefix == null ? DEFAULT_CLIENT_ID_PREFIX : clientIdPrefix;
        topicPrefix = topicPrefix == null ? DEFAULT_TOPIC_PREFIX : topicPrefix;
        linger = linger == null ? DEFAULT_LINGER : linger;
        deliveryTimeout = deliveryTimeout == null ? DEFAULT_DELIVERY_TIMEOUT : deliveryTimeout;
        maxBlock = maxBlock == null ? DEFAULT_MAX_BLOCK : maxBlock;
        // The workers' own rules and messages for the shared keys.
        new KafkaSettings(bootstrapServers, clientIdPrefix, topicPrefix);
        if (linger.isNegative() || linger.compareTo(MAX_LINGER) > 0) {
            throw new ConfigException(LINGER, "must be between 0ms and " + MAX_LINGER.toMillis() + "ms, got "
                    + linger.toMillis() + "ms");
        }
        Duration shortest = REQUEST_TIMEOUT.plus(linger);
        if (deliveryTimeout.compareTo(shortest) < 0 || deliveryTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new ConfigException(DELIVERY_TIMEOUT, "must be between " + shortest.toMillis() + "ms (Kafka's request"
                    + " timeout plus " + LINGER + ") and " + Integer.MAX_VALUE + "ms, got " + deliveryTimeout.toMillis() + "ms");
        }
        ConfigLookup.requirePositive(MAX_BLOCK, maxBlock);
        Map<String, String> extra = new LinkedHashMap<>();
        if (kafkaProperties != null) {
            kafkaProperties.forEach((key, value) -> {
                if (key == null || key.isBlank()) {
                    throw new ConfigException(String.valueOf(key), "is not a Kafka property name");
                }
                if (RESERVED_KAFKA_PROPERTIES.contains(key)) {
                    throw new ConfigException(key, "is set by the embedstream client and cannot be overridden");
                }
                if (value == null) {
                    throw new ConfigException(key, "has no value");
                }
                extra.put(key, value);
            });
        }
        kafkaProperties = Map.copyOf(extra);
    }

    /** Reads the settings through {@code lookup} (e.g. {@code System::getenv}); blank counts as absent. */
    public static ClientConfig from(Function<String, String> lookup) {
        ConfigLookup config = new ConfigLookup(lookup);
        String file = config.raw(KafkaSettings.PROPERTIES_FILE);
        return new ClientConfig(config.required(BOOTSTRAP_SERVERS),
                config.string(CLIENT_ID_PREFIX, DEFAULT_CLIENT_ID_PREFIX),
                config.string(TOPIC_PREFIX, DEFAULT_TOPIC_PREFIX),
                config.duration(LINGER, DEFAULT_LINGER),
                config.duration(DELIVERY_TIMEOUT, DEFAULT_DELIVERY_TIMEOUT),
                config.duration(MAX_BLOCK, DEFAULT_MAX_BLOCK),
                // the workers' security settings file, with the workers' rule on what it may hold
                file == null || file.isBlank() ? Map.of() : KafkaSettings.readConnection(java.nio.file.Path.of(file.trim())));
    }

    /** The settings from the process environment. */
    public static ClientConfig fromEnv() {
        return from(System::getenv);
    }

    /** The defaults for a cluster. */
    public static ClientConfig of(String bootstrapServers) {
        return builder(bootstrapServers).build();
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** The name of the topic this client writes to: the standard documents topic behind the prefix. */
    public String documentsTopic() {
        return kafkaSettings().topic(Topics.DOCUMENTS).name();
    }

    /**
     * The shared Kafka settings, for topic names and client properties built the workers' way, with the
     * connection settings among {@link #kafkaProperties()} (so an admin client built from them logs in too).
     */
    public KafkaSettings kafkaSettings() {
        Map<String, String> connection = new LinkedHashMap<>();
        kafkaProperties.forEach((key, value) -> {
            if (KafkaSettings.isConnectionKey(key)) {
                connection.put(key, value);
            }
        });
        return new KafkaSettings(bootstrapServers, clientIdPrefix, topicPrefix, connection);
    }

    /** Names the extra Kafka properties but never prints their values (a JAAS line or key store password). */
    @Override
    public String toString() {
        return "ClientConfig[bootstrapServers=" + bootstrapServers + ", clientIdPrefix=" + clientIdPrefix + ", topicPrefix="
                + topicPrefix + ", linger=" + linger + ", deliveryTimeout=" + deliveryTimeout + ", maxBlock=" + maxBlock
                + ", kafkaProperties=" + new java.util.TreeSet<>(kafkaProperties.keySet()) + "]";
    }

    /** Builds a {@link ClientConfig}; every setting not given keeps its default. */
    public static final class Builder {
        private final String bootstrapServers;
        private String clientIdPrefix = DEFAULT_CLIENT_ID_PREFIX;
        private String topicPrefix = DEFAULT_TOPIC_PREFIX;
        private Duration linger = DEFAULT_LINGER;
        private Duration deliveryTimeout = DEFAULT_DELIVERY_TIMEOUT;
        private Duration maxBlock = DEFAULT_MAX_BLOCK;
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder clientIdPrefix(String value) {
            this.clientIdPrefix = value;
            return this;
        }

        public Builder topicPrefix(String value) {
            this.topicPrefix = value;
            return this;
        }

        public Builder linger(Duration value) {
            this.linger = value;
            return this;
        }

        public Builder deliveryTimeout(Duration value) {
            this.deliveryTimeout = value;
            return this;
        }

        public Builder maxBlock(Duration value) {
            this.maxBlock = value;
            return this;
        }

        /** A further producer property, e.g. {@code security.protocol}; see {@link #RESERVED_KAFKA_PROPERTIES}. */
        public Builder kafkaProperty(String key, String value) {
            this.kafkaProperties.put(key, value);
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(bootstrapServers, clientIdPrefix, topicPrefix, linger, deliveryTimeout, maxBlock,
                    kafkaProperties);
        }
    }
}
