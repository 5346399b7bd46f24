package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.devservices.LocalKafka;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real broker that takes only SASL/PLAIN logins, set up by a client properties file. */
class SecuredKafkaIT {

    private static final String PASSWORD = "alice-" + UUID.randomUUID();
    private static LocalKafka broker;

    @TempDir
    Path dir;
    private PostgresEndpoint pg;
    private String schema;
    private SecuredClusterRoundTrip roundTrip;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafka.startSaslPlain(Map.of("alice", PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void setUp() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("sasl");
        roundTrip = new SecuredClusterRoundTrip(pg, schema, UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void tearDown() throws Exception {
        pg.dropSchema(schema);
    }

    private AppConfig config(String password) throws Exception {
        return roundTrip.config(dir, broker.bootstrapServers(), "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"" + password + "\";\n");
    }

    @Test
    void shouldEmbedDocumentsThroughAClusterThatRequiresALogin() throws Exception {
        // Given the workers configured with the cluster's SASL settings in a properties file
        AppConfig config = config(PASSWORD);

        // When documents are published through the same settings, Then every worker's clients logged in:
        // all were embedded and stored, and both groups caught up
        roundTrip.embedsAndStores(config, "notes");
    }

    @Test
    void shouldStopAtStartWithAClearErrorWhenTheLoginIsRefused() throws Exception {
        // Given a wrong password in the properties file
        String wrong = "wrong-" + UUID.randomUUID();
        AppConfig config = config(wrong);

        // When the pipeline starts, Then it fails at once saying the broker refused it and where the settings
        // come from, without printing the password
        assertThatThrownBy(() -> Pipeline.start(config).close())
                .hasMessageContaining("refused embedstream's client")
                .hasMessageContaining(KafkaSettings.PROPERTIES_FILE)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
    }
}
