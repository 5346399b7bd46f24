package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.devservices.LocalKafka;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real broker whose only listener speaks TLS, set up by a client properties file. */
class TlsKafkaIT {

    @TempDir
    static Path certificates;
    private static LocalKafka.TlsFiles tls;
    private static LocalKafka broker;

    @TempDir
    Path dir;
    private PostgresEndpoint pg;
    private String schema;
    private String run;

    @BeforeAll
    static void startBroker() {
        tls = LocalKafka.TlsFiles.selfSigned(certificates);
        broker = LocalKafka.startTls(tls);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void setUp() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("tls");
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() throws Exception {
        pg.dropSchema(schema);
    }

    private AppConfig config(String properties) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, properties);
        Map<String, String> env = ItConfigs.writerEnv(pg, schema, "writer-" + run);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        env.put(KafkaSettings.PROPERTIES_FILE, file.toString());
        env.put(KafkaSettings.TOPIC_PREFIX, "tls-" + run + ".");
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        return AppConfig.from(ConfigLookup.of(env));
    }

    @Test
    void shouldEmbedDocumentsThroughAClusterThatSpeaksOnlyTls() throws Exception {
        // Given the workers configured with a trust store holding the broker's certificate
        AppConfig config = config("security.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location="
                + tls.trustStore() + "\nssl.truststore.password=" + tls.password() + "\n");
        KafkaSettings kafka = config.requireKafka();
        try (Pipeline pipeline = Pipeline.start(config)) {
            // When documents are published through the same settings
            try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
                for (int i = 0; i < 20; i++) {
                    publisher.publish(new Document("memos", "m-" + i, "A memo about the quarterly plan, number " + i,
                            Map.of(), 1L));
                }
                publisher.flush();
            }

            // Then every worker's clients spoke TLS: all were embedded and stored, and both groups caught up
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    pipeline.requireHealthy();
                    assertThat(ConsumerLag.of(admin, config.embedder().groupId(), kafka.topic(Topics.DOCUMENTS).name())).isZero();
                    assertThat(ConsumerLag.of(admin, config.writer().groupId(), kafka.topic(Topics.EMBEDDINGS).name())).isZero();
                    assertThat(count("docs_memos_1")).isEqualTo(20);
                });
            }
            assertThat(count("vec_memos_1")).isEqualTo(20);
        }
    }

    @Test
    void shouldStopAtStartWithAClearErrorWhenTheBrokersCertificateIsNotTrusted() throws Exception {
        // Given TLS without a trust store that holds the broker's self-signed certificate
        AppConfig config = config("security.protocol=SSL\n");

        // When the pipeline starts, Then it fails at once naming the handshake and where the trust settings go
        assertThatThrownBy(() -> Pipeline.start(config).close())
                .hasMessageContaining("TLS handshake with Kafka at " + broker.bootstrapServers() + " failed")
                .hasMessageContaining("ssl.truststore")
                .hasMessageContaining(KafkaSettings.PROPERTIES_FILE)
                .hasMessageContaining("unable to find valid certification path");
    }

    private long count(String table) throws Exception {
        try (Connection c = pg.connect(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\"." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
