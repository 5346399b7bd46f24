package dev.embedstream.contracts;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the Kafka cluster is and how to connect to it. With no {@code EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS}
 * the all-in-one app starts its own single-node broker.
 *
 * @param connection the cluster's connection settings ({@code security.protocol}, {@code sasl.*},
 *                   {@code ssl.*}, {@code client.dns.lookup}) given to every client embedstream makes
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, String topicPrefix,
                            Map<String, String> connection) {

    public static final String BOOTSTRAP_SERVERS = "EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String CLIENT_ID_PREFIX = "EMBEDSTREAM_KAFKA_CLIENT_ID_PREFIX";
    public static final String TOPIC_PREFIX = "EMBEDSTREAM_KAFKA_TOPIC_PREFIX";
    /** A Kafka client properties file with the cluster's security settings, as Kafka's own tools take. */
    public static final String PROPERTIES_FILE = "EMBEDSTREAM_KAFKA_PROPERTIES_FILE";
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
        connection = Map.copyOf(connection == null ? Map.of() : connection);
        requireConnectionKeys(connection.keySet());
    }

    public KafkaSettings(String bootstrapServers, String clientIdPrefix, String topicPrefix) {
        this(bootstrapServers, clientIdPrefix, topicPrefix, Map.of());
    }

    /** Connection keys besides {@code sasl.*} and {@code ssl.*}: how to reach the cluster, nothing about delivery. */
    private static final java.util.Set<String> CONNECTION_KEYS = java.util.Set.of("security.protocol", "security.providers",
            "client.dns.lookup", "connections.max.idle.ms", "metadata.max.age.ms", "reconnect.backoff.ms",
            "reconnect.backoff.max.ms", "socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.max.ms");

    /** Whether {@code key} says how to reach and authenticate to the cluster. */
    public static boolean isConnectionKey(String key) {
        return CONNECTION_KEYS.contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    /**
     * Only how to reach and authenticate to the cluster: what embedstream sets itself (acks,
     * idempotence, commits, serializers, group ids) keeps the guarantees it documents. All the keys
     * refused are named at once, so a file downloaded from a cloud console is fixed in one go.
     */
    private static void requireConnectionKeys(java.util.Collection<String> keys) {
        java.util.List<String> refused = keys.stream().filter(k -> !isConnectionKey(k)).sorted().toList();
        if (!refused.isEmpty()) {
            throw new ConfigException(PROPERTIES_FILE, "not connection settings: " + refused + "; remove them (the"
                    + " cluster's address comes from " + BOOTSTRAP_SERVERS + ", and embedstream sets acks, idempotence,"
                    + " timeouts, commits and serializers itself). The file may hold security.protocol, sasl.*, ssl.*,"
                    + " security.providers, client.dns.lookup and the connection timeouts " + CONNECTION_KEYS.stream()
                    .filter(k -> k.contains(".ms")).sorted().toList());
        }
    }

    /** The connection settings of {@code file}, a Java properties file (UTF-8), checked as the constructor checks them. */
    public static Map<String, String> readConnection(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(PROPERTIES_FILE, "no readable file at " + file);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(PROPERTIES_FILE, "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> settings = new TreeMap<>();
        // values as Kafka's own tools read them: a password may end in a space
        p.stringPropertyNames().forEach(k -> settings.put(k.trim(), p.getProperty(k)));
        requireConnectionKeys(settings.keySet());
        return settings;
    }

    /** Says which connection settings are set, never their values (a JAAS line carries a password). */
    @Override
    public String toString() {
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", clientIdPrefix=" + clientIdPrefix
                + ", topicPrefix=" + topicPrefix + ", connection=" + new TreeMap<>(connection).keySet() + "]";
    }

    public static KafkaSettings from(ConfigLookup config) {
        String file = config.raw(PROPERTIES_FILE);
        return new KafkaSettings(config.required(BOOTSTRAP_SERVERS),
                config.string(CLIENT_ID_PREFIX, DEFAULT_CLIENT_ID_PREFIX),
                config.string(TOPIC_PREFIX, DEFAULT_TOPIC_PREFIX),
                file == null || file.isBlank() ? Map.of() : readConnection(Path.of(file.trim())));
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

    /** Properties of an admin client: the connection settings, without a role's client id. */
    public Map<String, Object> adminProperties() {
        Map<String, Object> props = new HashMap<>(connection);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    /** Properties of an admin client whose every call gives up after {@code timeout}: for scrapes and probes. */
    public Map<String, Object> adminProperties(java.time.Duration timeout) {
        Map<String, Object> props = adminProperties();
        props.put("request.timeout.ms", (int) timeout.toMillis());
        props.put("default.api.timeout.ms", (int) timeout.toMillis());
        return props;
    }

    /** The topic as this deployment names it: the configured prefix before the standard name. */
    public <K, V> Topic<K, V> topic(Topic<K, V> topic) {
        return topicPrefix.isEmpty() ? topic : topic.withName(topicPrefix + topic.name());
    }

    /** Base client properties for a client of the given role, e.g. {@code embedder}. */
    public Map<String, Object> clientProperties(String role) {
        Map<String, Object> props = adminProperties();
        props.put("client.id", clientIdPrefix + "-" + role);
        return props;
    }
}
