package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"alice\" password=\"alice-secret\";";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("kafka.properties");
        Files.writeString(f, content);
        return f;
    }

    private static KafkaSettings read(Path file) {
        return KafkaSettings.from(ConfigLookup.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "broker:9093",
                KafkaSettings.PROPERTIES_FILE, file.toString())));
    }

    @Test
    void shouldGiveTheFilesSecuritySettingsToEveryClient() throws IOException {
        // Given a client properties file for a SASL_SSL cluster
        Path f = file("security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config=" + JAAS
                + "\nssl.truststore.location=/etc/kafka/truststore.jks\n# a comment\n");

        // When the settings are read
        KafkaSettings kafka = read(f);

        // Then producers, consumers and admin clients all carry them, beside what embedstream sets itself
        assertThat(kafka.clientProperties("ingest")).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("bootstrap.servers", "broker:9093").containsEntry("client.id", "embedstream-ingest");
        assertThat(kafka.consumerProperties("writer", "g", 10)).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("enable.auto.commit", "false");
        assertThat(kafka.adminProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker:9093").doesNotContainKey("client.id");
    }

    @Test
    void shouldNeverPrintTheSettingsValues() throws IOException {
        KafkaSettings kafka = read(file("security.protocol=SASL_PLAINTEXT\nsasl.jaas.config=" + JAAS));

        assertThat(kafka.toString()).contains("sasl.jaas.config").contains("security.protocol")
                .doesNotContain("alice-secret").doesNotContain("PlainLoginModule");
    }

    @Test
    void shouldRefuseSettingsEmbedstreamOwnsNamingTheKey() throws IOException {
        // Given a file as a cloud console hands it out: its address, and settings that would turn off the
        // acknowledgements nothing-lost relies on, beside the security ones
        Path f = file("bootstrap.servers=pkc-1.cloud:9092\nsecurity.protocol=SASL_SSL\nacks=0\nsession.timeout.ms=45000\n"
                + "ssl.endpoint.identification.algorithm=https\nsecurity.providers=x.Creator\nmetadata.max.age.ms=180000\n");

        // Then it is refused, naming the variable and every key to remove at once
        assertThatThrownBy(() -> read(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(KafkaSettings.PROPERTIES_FILE)
                .hasMessageContaining("[acks, bootstrap.servers, session.timeout.ms]")
                .hasMessageContaining(KafkaSettings.BOOTSTRAP_SERVERS).hasMessageContaining("sasl.*");
    }

    @Test
    void shouldKeepAValueAsWrittenEvenWithATrailingSpace() throws IOException {
        KafkaSettings kafka = read(file("security.protocol=SASL_SSL\nssl.key.password=ends with a space \n"));

        assertThat(kafka.connection()).containsEntry("ssl.key.password", "ends with a space ")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void shouldSayWhenTheFileCannotBeRead() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> read(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(KafkaSettings.PROPERTIES_FILE).hasMessageContaining("no readable file at " + missing);
    }

    @Test
    void shouldConnectInPlainTextWithoutAFile() {
        KafkaSettings kafka = KafkaSettings.from(ConfigLookup.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "broker:9092")));

        assertThat(kafka.connection()).isEmpty();
        assertThat(kafka.clientProperties("ingest")).containsOnlyKeys("bootstrap.servers", "client.id");
    }
}
