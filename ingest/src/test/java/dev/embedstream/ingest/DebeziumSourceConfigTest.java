package dev.embedstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

class DebeziumSourceConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put(DebeziumSourceConfig.TOPICS, "dbserver1.public.articles");
        env.put(DebeziumSourceConfig.COLLECTION, "articles");
        env.put(DebeziumSourceConfig.KEY_COLUMNS, "id");
        env.put(DebeziumSourceConfig.TEXT_COLUMNS, "title, body");
        return env;
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> env = valid();
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return env;
    }

    @Test
    void shouldReadAFullConfigFromTheEnvironmentStyleLookup() {
        // Given every key set
        Map<String, String> env = with(DebeziumSourceConfig.TOPICS, "a.public.articles, a.public.articles_old");
        env.put(DebeziumSourceConfig.KEY_COLUMNS, "id,lang");
        env.put(DebeziumSourceConfig.METADATA_COLUMNS, "author,published_at");
        env.put(DebeziumSourceConfig.APPLICATION_ID, "cdc-articles");
        // When read
        DebeziumSourceConfig c = DebeziumSourceConfig.from(env::get);
        // Then lists are split and trimmed, and the columns make a --columns template
        assertThat(c.topics()).containsExactly("a.public.articles", "a.public.articles_old");
        assertThat(c.keyColumns()).containsExactly("id", "lang");
        assertThat(c.textColumns()).containsExactly("title", "body");
        assertThat(c.textTemplate()).isNull();
        assertThat(c.template()).isEqualTo("{title}\\n\\n{body}");
        assertThat(c.metadataColumns()).containsExactly("author", "published_at");
        assertThat(c.applicationId()).isEqualTo("cdc-articles");
    }

    @Test
    void shouldDefaultTheApplicationIdPerCollectionAndDeployment() {
        // Given no application id, first without and then with a topic prefix
        DebeziumSourceConfig plain = DebeziumSourceConfig.from(valid()::get);
        Map<String, String> prefixed = with(KafkaSettings.TOPIC_PREFIX, "acme.");
        // Then the id names the collection, and the deployment when it has a prefix of its own
        assertThat(plain.applicationId()).isEqualTo("embedstream-debezium-articles");
        assertThat(DebeziumSourceConfig.from(prefixed::get).applicationId()).isEqualTo("embedstream-debezium-articles-acme.");
        assertThat(plain.metadataColumns()).isEmpty();
    }

    @Test
    void shouldTakeATextTemplateInsteadOfColumns() {
        Map<String, String> env = with(DebeziumSourceConfig.TEXT_COLUMNS, null);
        env.put(DebeziumSourceConfig.TEXT_TEMPLATE, "# {title}\\n{body}");
        assertThat(DebeziumSourceConfig.from(env::get).template()).isEqualTo("# {title}\\n{body}");
    }

    @Test
    void shouldNameTheKeyOfAMissingOrBadTopic() {
        assertInvalid(with(DebeziumSourceConfig.TOPICS, null), DebeziumSourceConfig.TOPICS, "is required");
        assertInvalid(with(DebeziumSourceConfig.TOPICS, "a topic"), DebeziumSourceConfig.TOPICS, "not a Kafka topic name");
        assertInvalid(with(DebeziumSourceConfig.TOPICS, "t1,t1"), DebeziumSourceConfig.TOPICS, "'t1' is listed twice");
    }

    @Test
    void shouldNameTheKeyOfAMissingOrBadCollection() {
        assertInvalid(with(DebeziumSourceConfig.COLLECTION, null), DebeziumSourceConfig.COLLECTION, "is required");
        assertInvalid(with(DebeziumSourceConfig.COLLECTION, "Articles"), DebeziumSourceConfig.COLLECTION,
                "'Articles' is not a collection name");
    }

    @Test
    void shouldNameTheKeyOfMissingOrRepeatedKeyColumns() {
        assertInvalid(with(DebeziumSourceConfig.KEY_COLUMNS, " , "), DebeziumSourceConfig.KEY_COLUMNS, "is required");
        assertInvalid(with(DebeziumSourceConfig.KEY_COLUMNS, "id,id"), DebeziumSourceConfig.KEY_COLUMNS,
                "'id' is listed twice");
    }

    @Test
    void shouldNameTheKeyWhenTheTextIsGivenNeitherWayOrBothWays() {
        assertInvalid(with(DebeziumSourceConfig.TEXT_COLUMNS, null), DebeziumSourceConfig.TEXT_COLUMNS,
                "is required (or " + DebeziumSourceConfig.TEXT_TEMPLATE + ")");
        assertInvalid(with(DebeziumSourceConfig.TEXT_TEMPLATE, "{title}"), DebeziumSourceConfig.TEXT_TEMPLATE, "not both");
    }

    @Test
    void shouldNameTheKeyOfABadTemplateOrTextColumn() {
        Map<String, String> env = with(DebeziumSourceConfig.TEXT_COLUMNS, null);
        env.put(DebeziumSourceConfig.TEXT_TEMPLATE, "{title");
        assertInvalid(env, DebeziumSourceConfig.TEXT_TEMPLATE, "unclosed {");
        env.put(DebeziumSourceConfig.TEXT_TEMPLATE, "no placeholder");
        assertInvalid(env, DebeziumSourceConfig.TEXT_TEMPLATE, "names no column");
        assertInvalid(with(DebeziumSourceConfig.TEXT_COLUMNS, "title,body-text"), DebeziumSourceConfig.TEXT_COLUMNS,
                "unsafe SQL identifier 'body-text'");
    }

    @Test
    void shouldNameTheKeyOfRepeatedMetadataColumnsAndABadApplicationId() {
        assertInvalid(with(DebeziumSourceConfig.METADATA_COLUMNS, "a,a"), DebeziumSourceConfig.METADATA_COLUMNS,
                "'a' is listed twice");
        assertInvalid(with(DebeziumSourceConfig.APPLICATION_ID, "my app"), DebeziumSourceConfig.APPLICATION_ID,
                "use 1-200 characters");
    }

    @Test
    void shouldValidateInTheConstructorToo() {
        assertThatThrownBy(() -> new DebeziumSourceConfig(List.of("t"), "articles", List.of(), List.of("body"), null,
                List.of(), "app"))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo(DebeziumSourceConfig.KEY_COLUMNS));
    }

    @Test
    void shouldRunAsItsOwnApplicationOnTheConfiguredCluster() {
        // Given a deployment and a source config
        KafkaSettings kafka = new KafkaSettings("broker:9092", "shop", "");
        DebeziumSourceConfig config = DebeziumSourceConfig.from(valid()::get);
        // When the Streams properties are made
        Properties p = DebeziumSource.streamsProperties(kafka, config);
        // Then they name the cluster, the application and this client
        assertThat(p.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9092");
        assertThat(p.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("embedstream-debezium-articles");
        assertThat(p.get(StreamsConfig.CLIENT_ID_CONFIG)).isEqualTo("shop-debezium-articles");
        assertThat(p).doesNotContainKey("client.id.prefix");
    }

    @Test
    void shouldMakePropertiesThatKafkaStreamsAccepts() {
        // Given the topology and the properties of a source
        DebeziumSourceConfig config = DebeziumSourceConfig.from(valid()::get);
        KafkaSettings kafka = KafkaSettings.of("127.0.0.1:1");
        Topology topology = DebeziumTopology.build(new StreamsBuilder(), config, kafka.topic(Topics.DOCUMENTS),
                kafka.topic(Topics.DEAD_LETTERS), new DebeziumCounters(config.collection())).build();
        // When a Kafka Streams client is made of them (not started: no broker needed)
        try (KafkaStreams streams = new KafkaStreams(topology, DebeziumSource.streamsProperties(kafka, config))) {
            // Then it is created, with the source topics the config names
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
            assertThat(topology.describe().toString()).contains("dbserver1.public.articles", "embedstream.documents",
                    "embedstream.dlq");
        }
    }

    private static void assertInvalid(Map<String, String> env, String key, String problem) {
        assertThatThrownBy(() -> DebeziumSourceConfig.from(env::get))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).startsWith("invalid config " + key + ": ").contains(problem);
                });
    }
}
