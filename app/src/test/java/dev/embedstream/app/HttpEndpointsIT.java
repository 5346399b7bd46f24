package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.app.internal.HttpEndpoints;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HttpEndpointsIT {

    @Test
    void shouldServeMetricsHealthAndStatus() throws Exception {
        // Given a running pipeline with its HTTP endpoints
        PostgresEndpoint pg = TestInfra.postgres();
        String schema = TestInfra.uniqueSchema("hit");
        String run = UUID.randomUUID().toString().substring(0, 8);
        AppConfig config = new AppConfig(
                Optional.of(new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "http-" + run + ".")),
                EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(EmbedderConfig.GROUP_ID, "e-" + run))),
                WriterConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(WriterConfig.JDBC_URL, pg.jdbcUrl(),
                        WriterConfig.USER, pg.user(), WriterConfig.PASSWORD, pg.password(), WriterConfig.SCHEMA, schema,
                        WriterConfig.GROUP_ID, "w-" + run))));
        HttpClient http = HttpClient.newHttpClient();
        try (Pipeline pipeline = Pipeline.start(config); HttpEndpoints endpoints = HttpEndpoints.start(pipeline, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + endpoints.port();
            // When each endpoint is asked
            HttpResponse<String> metrics = get(http, base + "/metrics");
            HttpResponse<String> live = get(http, base + "/health/live");
            HttpResponse<String> ready = get(http, base + "/health/ready");
            HttpResponse<String> status = get(http, base + "/status");
            // Then each answers as documented
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("embedstream_embedder_documents_total")
                    .contains("embedstream_writer_documents_total").contains("hikaricp_connections")
                    .contains("jvm_memory_used_bytes");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"READY\"");
            assertThat(status.body()).contains("\"pgvector\":\"0.8").contains("all-minilm-l6-v2@fp32/384");
            // And no secret is in any of them
            assertThat(metrics.body() + ready.body() + status.body()).doesNotContain(pg.password() + "@")
                    .doesNotContain("password");
        } finally {
            try (Connection c = pg.connect(); var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
