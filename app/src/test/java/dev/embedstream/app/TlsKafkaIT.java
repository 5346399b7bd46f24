package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.devservices.LocalKafka;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.nio.file.Path;
import java.util.UUID;
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
    private SecuredClusterRoundTrip roundTrip;

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
        roundTrip = new SecuredClusterRoundTrip(pg, schema, UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterEach
    void tearDown() throws Exception {
        pg.dropSchema(schema);
    }

    @Test
    void shouldEmbedDocumentsThroughAClusterThatSpeaksOnlyTls() throws Exception {
        // Given the workers configured with a trust store holding the broker's certificate
        AppConfig config = roundTrip.config(dir, broker.bootstrapServers(), "security.protocol=SSL\n"
                + "ssl.truststore.type=PKCS12\nssl.truststore.location=" + tls.trustStore() + "\n"
                + "ssl.truststore.password=" + tls.password() + "\n");

        // When documents are published through the same settings, Then every worker's clients spoke TLS:
        // all were embedded and stored, and both groups caught up
        roundTrip.embedsAndStores(config, "memos");
    }

    @Test
    void shouldStopAtStartWithAClearErrorWhenTheBrokersCertificateIsNotTrusted() throws Exception {
        // Given TLS without a trust store that holds the broker's self-signed certificate
        AppConfig config = roundTrip.config(dir, broker.bootstrapServers(), "security.protocol=SSL\n");

        // When the pipeline starts, Then it fails at once naming the handshake, where the trust settings go
        // and the JDK's reason
        assertThatThrownBy(() -> Pipeline.start(config).close())
                .hasMessageContaining("TLS handshake with Kafka at " + broker.bootstrapServers() + " failed")
                .hasMessageContaining("ssl.truststore")
                .hasMessageContaining(KafkaSettings.PROPERTIES_FILE)
                .hasMessageContaining("unable to find valid certification path");
    }
}
