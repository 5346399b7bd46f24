package dev.embedstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void shouldReadTheKeysTheWorkersRead() {
        // Given the environment a worker of a prefixed deployment has, plus the client's own keys
        Map<String, String> env = Map.of(
                "EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS", " kafka-1:9092,kafka-2:9092 ",
                "EMBEDSTREAM_KAFKA_CLIENT_ID_PREFIX", "shop",
                "EMBEDSTREAM_KAFKA_TOPIC_PREFIX", "staging.",
                "EMBEDSTREAM_CLIENT_LINGER", "20ms",
                "EMBEDSTREAM_CLIENT_DELIVERY_TIMEOUT", "5m",
                "EMBEDSTREAM_CLIENT_MAX_BLOCK", "PT10S");
        // When the client's config is read from it
        ClientConfig config = ClientConfig.from(env::get);
        // Then it names the same cluster and the same prefixed topic as the workers
        assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.clientIdPrefix()).isEqualTo("shop");
        assertThat(config.documentsTopic()).isEqualTo("staging.embedstream.documents")
                .isEqualTo(KafkaSettings.from(new dev.embedstream.contracts.ConfigLookup(env::get))
                        .topic(dev.embedstream.contracts.Topics.DOCUMENTS).name());
        assertThat(config.linger()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.deliveryTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxBlock()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldUseTheDefaultsWhenOnlyTheClusterIsGiven() {
        // Given only the bootstrap servers, once from a lookup and once from Java
        ClientConfig fromLookup = ClientConfig.from(Map.of(ClientConfig.BOOTSTRAP_SERVERS, "k:9092")::get);
        ClientConfig fromJava = ClientConfig.of("k:9092");
        // Then both hold the named defaults
        assertThat(fromLookup).isEqualTo(fromJava);
        assertThat(fromJava.clientIdPrefix()).isEqualTo(ClientConfig.DEFAULT_CLIENT_ID_PREFIX);
        assertThat(fromJava.topicPrefix()).isEqualTo(ClientConfig.DEFAULT_TOPIC_PREFIX);
        assertThat(fromJava.documentsTopic()).isEqualTo("embedstream.documents");
        assertThat(fromJava.linger()).isEqualTo(ClientConfig.DEFAULT_LINGER);
        assertThat(fromJava.deliveryTimeout()).isEqualTo(ClientConfig.DEFAULT_DELIVERY_TIMEOUT);
        assertThat(fromJava.maxBlock()).isEqualTo(ClientConfig.DEFAULT_MAX_BLOCK);
        assertThat(fromJava.kafkaProperties()).isEmpty();
    }

    @Test
    void shouldRequireTheBootstrapServers() {
        assertThatThrownBy(() -> ClientConfig.from(Map.of(ClientConfig.TOPIC_PREFIX, "x.")::get))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS: is required");
        assertThatThrownBy(() -> ClientConfig.of("  "))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(ClientConfig.BOOTSTRAP_SERVERS);
    }

    @Test
    void shouldRejectBadTopicPrefixWithTheWorkersMessage() {
        // Given a prefix with a character Kafka topic names cannot hold
        Map<String, String> env = Map.of(ClientConfig.BOOTSTRAP_SERVERS, "k:9092", ClientConfig.TOPIC_PREFIX, "a/b");
        // Then the error names the shared key, exactly as the workers would
        assertThatThrownBy(() -> ClientConfig.from(env::get))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid config EMBEDSTREAM_KAFKA_TOPIC_PREFIX: ")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(KafkaSettings.TOPIC_PREFIX);
    }

    @Test
    void shouldRejectLingerOutsideItsRange() {
        assertThatThrownBy(() -> ClientConfig.builder("k:9092").linger(Duration.ofSeconds(2)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config EMBEDSTREAM_CLIENT_LINGER: must be between 0ms and 1000ms, got 2000ms");
        assertThatThrownBy(() -> ClientConfig.builder("k:9092").linger(Duration.ofMillis(-1)).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining(ClientConfig.LINGER);
        assertThat(ClientConfig.builder("k:9092").linger(Duration.ZERO).build().linger()).isZero();
    }

    @Test
    void shouldRejectDeliveryTimeoutShorterThanKafkaAllows() {
        // Given a delivery timeout below Kafka's request timeout plus the linger
        ClientConfig.Builder builder = ClientConfig.builder("k:9092").linger(Duration.ofMillis(10))
                .deliveryTimeout(Duration.ofSeconds(30));
        // Then the key is named with the smallest value that would do
        assertThatThrownBy(builder::build)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid config EMBEDSTREAM_CLIENT_DELIVERY_TIMEOUT: must be between 30010ms");
    }

    @Test
    void shouldRejectNonPositiveMaxBlockAndUnreadableDurations() {
        assertThatThrownBy(() -> ClientConfig.builder("k:9092").maxBlock(Duration.ZERO).build())
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("invalid config EMBEDSTREAM_CLIENT_MAX_BLOCK:");
        Map<String, String> env = Map.of(ClientConfig.BOOTSTRAP_SERVERS, "k:9092", ClientConfig.LINGER, "soon");
        assertThatThrownBy(() -> ClientConfig.from(env::get))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config EMBEDSTREAM_CLIENT_LINGER: 'soon' is not a duration (e.g. 250ms, 5s, 2m, PT1H)");
    }

    @Test
    void shouldRefuseToOverrideWhatTheContractDependsOn() {
        // Given an application that tries to weaken acknowledgements
        ClientConfig.Builder builder = ClientConfig.builder("k:9092").kafkaProperty("acks", "1");
        // Then the property is named and refused
        assertThatThrownBy(builder::build)
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config acks: is set by the embedstream client and cannot be overridden");
    }

    @Test
    void shouldKeepSecuritySettingsForTheProducer() {
        // Given TLS settings for a secured cluster
        ClientConfig config = ClientConfig.builder("k:9093").kafkaProperty("security.protocol", "SSL")
                .kafkaProperty("ssl.truststore.location", "/etc/kafka/truststore.p12").build();
        // Then they are kept, and the config stays immutable
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL").hasSize(2);
        assertThatThrownBy(() -> config.kafkaProperties().put("acks", "0"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldReadTheWorkersSecuritySettingsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // Given the same properties file the workers read for a SASL cluster
        java.nio.file.Path file = dir.resolve("kafka.properties");
        java.nio.file.Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Map<String, String> env = Map.of(ClientConfig.BOOTSTRAP_SERVERS, "k:9093", KafkaSettings.PROPERTIES_FILE,
                file.toString());

        // When the client's config is read from the environment
        ClientConfig config = ClientConfig.from(env::get);

        // Then the producer gets the settings too, and so does anything built from the shared Kafka settings
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").hasSize(2);
        assertThat(config.kafkaSettings().adminProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldNeverPrintThePropertiesValues() {
        ClientConfig config = ClientConfig.builder("k:9093").kafkaProperty("security.protocol", "SASL_SSL")
                .kafkaProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"app\" password=\"s3cret-pw\";").build();

        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("s3cret-pw").doesNotContain("ScramLoginModule");
    }
}
