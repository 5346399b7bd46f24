package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.app.internal.HttpEndpoints;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
        // (the OpenAI-compatible provider against the simulator, so that the provider's meters exist too)
        var simulator = dev.embedstream.simulator.EmbeddingSimulator.start(
                dev.embedstream.simulator.SimulatorConfig.defaults().withApiKey("sk-http-it"));
        dev.embedstream.contracts.ConfigLookup lookup = dev.embedstream.contracts.ConfigLookup.of(Map.of(
                EmbedderConfig.GROUP_ID, "e-" + run, EmbedderConfig.PROVIDER, "openai",
                dev.embedstream.embedder.OpenAiConfig.BASE_URL, simulator.baseUrl(),
                dev.embedstream.embedder.OpenAiConfig.API_KEY, "sk-http-it",
                dev.embedstream.embedder.OpenAiConfig.DIMENSIONS, "64"));
        AppConfig config = new AppConfig(
                Optional.of(new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "http-" + run + ".")),
                EmbedderConfig.from(lookup), Optional.of(dev.embedstream.embedder.OpenAiConfig.from(lookup)),
                ItConfigs.writer(pg, schema, "w-" + run));
        HttpClient http = HttpClient.newHttpClient();
        try (simulator; Pipeline pipeline = Pipeline.start(config);
             HttpEndpoints endpoints = HttpEndpoints.start(pipeline, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + endpoints.port();
            // (after a real run: 5 documents through the whole pipeline)
            try (var publisher = new dev.embedstream.ingest.DocumentPublisher(config.kafka().orElseThrow())) {
                for (int i = 0; i < 5; i++) {
                    publisher.publish(new dev.embedstream.contracts.Document("web", "w-" + i, "Metrics document " + i));
                }
                publisher.flush();
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> pipeline.writer().stats().written() == 5);
            pipeline.coverage().refresh();
            pipeline.maintenance().sample();
            // When each endpoint is asked
            HttpResponse<String> metrics = get(http, base + "/metrics");
            HttpResponse<String> live = get(http, base + "/health/live");
            // (every consumer of every worker joins its group in its own time: ready is awaited, not assumed)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
                    .until(() -> get(http, base + "/health/ready").statusCode() == 200);
            HttpResponse<String> ready = get(http, base + "/health/ready");
            HttpResponse<String> status = get(http, base + "/status");
            // Then each answers as documented
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("embedstream_embedder_documents_total")
                    .contains("embedstream_writer_documents_total").contains("hikaricp_connections")
                    .contains("jvm_memory_used_bytes");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"READY\"");
            assertThat(status.body()).contains("\"pgvector\":\"0.8").contains("text-embedding-3-small@api/64")
                    .contains("\"circuitState\":\"CLOSED\"")
                    .contains("\"indexWarnings\":[")
                    .contains("\"collection\":\"web\",\"generation\":1").contains("\"ratio\":1.0")
                    .contains("\"maintenance\":{\"enabled\":true,\"running\":null,\"recent\":[]}");
            // And every metric the README documents is exported, with plausible values
            assertThat(metricsNamedIn("README.md")).isNotEmpty()
                    .allSatisfy(name -> assertThat(metrics.body()).contains("\n" + name));
            assertThat(metrics.body())
                    .contains("embedstream_embedder_documents_total{model=\"text-embedding-3-small@api/64\",outcome=\"embedded\"} 5.0")
                    .contains("embedstream_writer_documents_total{outcome=\"written\"} 5.0")
                    .contains("embedstream_provider_inputs_total{model=\"text-embedding-3-small@api/64\"} 5.0")
                    .contains("embedstream_provider_circuit_state{model=\"text-embedding-3-small@api/64\"} 0.0")
                    .contains("embedstream_consumer_lag_records{group=\"w-" + run + "\"")
                    .contains("embedstream_coverage_ratio{collection=\"web\",model=\"text-embedding-3-small@api/64\",role=\"active\"} 1.0")
                    .contains("embedstream_coverage_documents{collection=\"web\",model=\"text-embedding-3-small@api/64\",role=\"active\",state=\"current\"} 5.0")
                    .contains("embedstream_index_size_bytes{collection=\"web\",generation=\"1\"}")
                    .contains("embedstream_maintenance_actions_total{action=\"reindex\",outcome=\"succeeded\"} 0.0")
                    .contains("kafka_stream_").contains("\nkafka_consumer_").contains("\nkafka_producer_");
            // And every metric the alert rules and the dashboard name is one this process exports
            assertThat(metricsNamedIn("ops/prometheus/alerts.yml")).isNotEmpty()
                    .allSatisfy(name -> assertThat(metrics.body()).contains("\n" + name));
            assertThat(metricsNamedIn("ops/grafana/embedstream-dashboard.json")).isNotEmpty()
                    .allSatisfy(name -> assertThat(metrics.body()).contains("\n" + name));
            // And no secret is in any of them
            assertThat(metrics.body() + ready.body() + status.body()).doesNotContain(pg.password() + "@")
                    .doesNotContain("password");
        } finally {
            pg.dropSchema(schema);
        }
    }

    @Test
    void shouldTurnNotReadyWhilePostgresqlIsDownAndReadyAgainAfter() throws Exception {
        // Given the project-local PostgreSQL (a cluster this test may stop) and a running pipeline
        org.junit.jupiter.api.Assumptions.assumeTrue(TestInfra.usesLocalPostgres(), "needs the scripts/pg.sh cluster");
        PostgresEndpoint pg = TestInfra.postgres();
        String schema = TestInfra.uniqueSchema("hrd");
        String run = UUID.randomUUID().toString().substring(0, 8);
        AppConfig config = new AppConfig(
                Optional.of(new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "ready-" + run + ".")),
                EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(EmbedderConfig.GROUP_ID, "e-" + run))),
                ItConfigs.writer(pg, schema, "w-" + run));
        HttpClient http = HttpClient.newHttpClient();
        try (Pipeline pipeline = Pipeline.start(config); HttpEndpoints endpoints = HttpEndpoints.start(pipeline, "127.0.0.1", 0)) {
            String ready = "http://127.0.0.1:" + endpoints.port() + "/health/ready";
            // (ready once the workers have joined their consumer groups)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> get(http, ready).statusCode() == 200);
            try {
                // When PostgreSQL stops
                pgScript("stop");
                HttpResponse<String> down = get(http, ready);
                // Then readiness is 503 and says why
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("database");
            } finally {
                pgScript("start");
            }
            // And once it is back, readiness returns
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> get(http, ready).statusCode() == 200);
        } finally {
            pg.dropSchema(schema);
        }
    }

    @Test
    void shouldKeepAdminEndpointsOffWithoutATokenAndRequireItWithOne() throws Exception {
        // Given a pipeline served once without an admin token and once with one
        PostgresEndpoint pg = TestInfra.postgres();
        String schema = TestInfra.uniqueSchema("had");
        String run = UUID.randomUUID().toString().substring(0, 8);
        AppConfig config = new AppConfig(
                Optional.of(new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "admin-" + run + ".")),
                EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(EmbedderConfig.GROUP_ID, "e-" + run))),
                ItConfigs.writer(pg, schema, "w-" + run));
        String token = "a-long-enough-admin-token";
        HttpClient http = HttpClient.newHttpClient();
        try (Pipeline pipeline = Pipeline.start(config);
             HttpEndpoints open = HttpEndpoints.start(pipeline, "127.0.0.1", 0);
             HttpEndpoints guarded = HttpEndpoints.start(pipeline, "127.0.0.1", 0, token)) {
            String off = "http://127.0.0.1:" + open.port();
            String on = "http://127.0.0.1:" + guarded.port();
            // When the mutating endpoints are called, then: off without a token
            assertThat(post(http, off + "/admin/dlq/retry", token).statusCode()).isEqualTo(404);
            // And with one: POST only, the bearer token only
            assertThat(get(http, on + "/admin/dlq/retry").statusCode()).isEqualTo(405);
            assertThat(post(http, on + "/admin/dlq/retry", null).statusCode()).isEqualTo(401);
            assertThat(post(http, on + "/admin/dlq/retry", token + "x").statusCode()).isEqualTo(401);
            HttpResponse<String> retried = post(http, on + "/admin/dlq/retry", token);
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(retried.body()).isEqualTo("{\"replayed\":0,\"notReplayable\":{}}");
            HttpResponse<String> maintenance = post(http, on + "/admin/maintenance/run", token);
            assertThat(maintenance.statusCode()).isEqualTo(202);
            assertThat(maintenance.body()).isEqualTo("{\"queued\":[]}");
        } finally {
            pg.dropSchema(schema);
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void pgScript(String command) throws Exception {
        Process p = new ProcessBuilder("bash", ComposeConsistencyTest.projectRoot().resolve("scripts/pg.sh").toString(), command)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("scripts/pg.sh %s: %s", command, output).isZero();
    }

    private static java.util.Set<String> metricsNamedIn(String file) throws Exception {
        String text = java.nio.file.Files.readString(ComposeConsistencyTest.projectRoot().resolve(file));
        java.util.Set<String> names = new java.util.TreeSet<>();
        var m = java.util.regex.Pattern.compile("\\b(embedstream_[a-z_]+|hikaricp_[a-z_]+)\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
