package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.embedder.OpenAiProvider;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.simulator.EmbeddingSimulator;
import dev.embedstream.simulator.Faults;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline with the OpenAI-compatible provider against the simulator misbehaving in every way
 * it can: every document ends embedded or dead-lettered with a reason; none lost, none duplicated.
 */
class ProviderFaultsIT {

    private static final int DOCS = 400;
    private static final String KEY = "sk-test-" + UUID.randomUUID();

    private EmbeddingSimulator simulator;
    private Pipeline pipeline;
    private PostgresEndpoint pg;
    private String schema;

    @AfterEach
    void stop() throws SQLException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        pg.dropSchema(schema);
    }

    @Test
    void shouldEmbedOrDeadLetterEveryDocumentUnderProviderFaults() throws Exception {
        // Given a provider that rate-limits, fails, times out and returns broken replies, and refuses "POISON"
        Faults faults = Faults.none().withServerErrorRate(0.08).withRateLimitStormRate(0.08).withRetryAfterMs(150)
                .withTimeout(0.03, 1500).withConnectionResetRate(0.03).withMalformedJsonRate(0.03)
                .withWrongDimensionsRate(0.03).withNanRate(0.03).withMissingVectorsRate(0.03).withFailMarker("POISON");
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(6000).withTpm(2_000_000)
                .withFaults(faults));
        KafkaSettings kafka = startPipeline();

        // When documents are published, some of them poisoned
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < DOCS; i++) {
                String text = (i % 80 == 7 ? "POISON " : "") + "Field report " + i + " on the "
                        + List.of("harvest", "river levels", "bridge repairs", "school opening").get(i % 4);
                publisher.publish(new Document("reports", "r-" + i, text, Map.of(), 1L));
            }
            publisher.flush();
        }
        awaitDrained(kafka);

        // Then every document is either a row or a dead letter with the provider's reason, exactly once
        Map<String, String> dead = deadLetters(kafka, 5);
        long rows = count("SELECT count(*) FROM \"" + schema + "\".docs_reports_1");
        long distinctChunks = count("SELECT count(DISTINCT doc_id) FROM \"" + schema + "\".vec_reports_1");
        long chunks = count("SELECT count(*) FROM \"" + schema + "\".vec_reports_1");
        System.out.printf("tally: published %d / embedded %d / dead-lettered %d / lost %d / duplicated %d%n", DOCS, rows,
                dead.size(), DOCS - rows - dead.size(), chunks - distinctChunks);
        assertThat(rows).isEqualTo(DOCS - 5);
        assertThat(chunks).isEqualTo(distinctChunks).isEqualTo(rows);
        assertThat(dead).hasSize(5).allSatisfy((key, reason) -> assertThat(reason).contains("provider refused the input"));
        assertThat(dead.keySet()).allSatisfy(k -> assertThat(k).contains("\"id\":\"r-").contains("reports"));
        // And the faults really happened and were waited out or retried
        OpenAiProvider.Snapshot stats = ((OpenAiProvider) pipeline.provider()).stats();
        assertThat(stats.rateLimited()).isPositive();
        assertThat(stats.retries()).isPositive();
        assertThat(count("SELECT vector_dims(embedding) FROM \"" + schema + "\".vec_reports_1 LIMIT 1")).isEqualTo(64);
        // And the meters tell the same story
        String scrape = pipeline.meters().scrape();
        assertThat(scrape).contains("embedstream_embedder_documents_total{model=\"text-embedding-3-small@api/64\",outcome=\"embedded\"} " + rows + ".0")
                .contains("embedstream_embedder_documents_total{model=\"text-embedding-3-small@api/64\",outcome=\"dead_lettered\"} 5.0")
                .contains("embedstream_provider_rate_limited_total{model=\"text-embedding-3-small@api/64\"} " + stats.rateLimited() + ".0")
                .contains("embedstream_provider_request_inputs_count")
                .contains("embedstream_provider_circuit_state{model=\"text-embedding-3-small@api/64\"}")
                .contains("embedstream_provider_limiter_wait_seconds_total")
                .contains("embedstream_provider_tokens_total");

        // When the provider is fixed and the dead letters are replayed
        simulator.setFaults(Faults.none());
        assertThat(dev.embedstream.app.cli.DlqCommand.replay(kafka)).isEqualTo(5);
        awaitDrained(kafka);
        // Then they are embedded too, and a second replay finds nothing new
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".docs_reports_1")).isEqualTo(DOCS);
        assertThat(dev.embedstream.app.cli.DlqCommand.replay(kafka)).isZero();
    }

    @Test
    void shouldPauseWhileTheProviderIsDownAndResumeWhenItIsBack() throws Exception {
        // Given a provider that fails every request
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY)
                .withFaults(Faults.none().withServerErrorRate(1.0)));
        KafkaSettings kafka = startPipeline();
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < 100; i++) {
                publisher.publish(new Document("reports", "r-" + i, "Outage report " + i, Map.of(), 1L));
            }
            publisher.flush();
        }
        // When the circuit opens, nothing is dead-lettered and nothing committed while it is down
        OpenAiProvider provider = (OpenAiProvider) pipeline.provider();
        await().atMost(Duration.ofSeconds(60)).until(() -> provider.stats().circuitOpened() > 0);
        assertThat(pipeline.embedder().stats().deadLettered()).isZero();
        assertThat(pipeline.embedder().stats().embedded()).isZero();
        // And when the provider is back
        simulator.setFaults(Faults.none());
        awaitDrained(kafka);
        // Then every document is embedded, none lost, none dead-lettered
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".docs_reports_1")).isEqualTo(100);
        assertThat(pipeline.embedder().stats().deadLettered()).isZero();
        assertThat(pipeline.meters().scrape()).contains("embedstream_provider_circuit_opened_total");
    }

    private KafkaSettings startPipeline() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("pfit");
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "pf-" + run + ".");
        Map<String, String> env = ItConfigs.writerEnv(pg, schema, "writer-" + run);
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        env.put(EmbedderConfig.PROVIDER, "openai");
        env.put(EmbedderConfig.BATCH_DOCUMENTS, "50");
        env.put(OpenAiConfig.BASE_URL, simulator.baseUrl());
        env.put(OpenAiConfig.API_KEY, KEY);
        env.put(OpenAiConfig.DIMENSIONS, "64");
        env.put(OpenAiConfig.MAX_INPUTS_PER_REQUEST, "16");
        env.put(OpenAiConfig.REQUEST_TIMEOUT, "1s");
        env.put(OpenAiConfig.MAX_ATTEMPTS, "10");
        env.put(OpenAiConfig.BACKOFF_MAX, "500ms");
        env.put(OpenAiConfig.BREAKER_OPEN_WAIT, "1s");
        ConfigLookup lookup = ConfigLookup.of(env);
        AppConfig config = new AppConfig(Optional.of(kafka), EmbedderConfig.from(lookup),
                Optional.of(OpenAiConfig.from(lookup)), WriterConfig.from(lookup));
        pipeline = Pipeline.start(config);
        return kafka;
    }

    private void awaitDrained(KafkaSettings kafka) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                pipeline.requireHealthy();
                assertThat(ConsumerLag.of(admin, pipeline.embedderGroup(), kafka.topic(Topics.DOCUMENTS).name())).isZero();
                assertThat(ConsumerLag.of(admin, pipeline.writerGroup(), kafka.topic(Topics.EMBEDDINGS).name())).isZero();
            });
        }
    }

    private Map<String, String> deadLetters(KafkaSettings kafka, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "dlq-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        Map<String, String> reasons = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(kafka.topic(Topics.DEAD_LETTERS).name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && reasons.size() < expected) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    reasons.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                            DeadLetters.header(r.headers(), DeadLetters.REASON));
                }
            }
            // Read a little longer: more dead letters than expected would be a bug too.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                reasons.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                        DeadLetters.header(r.headers(), DeadLetters.REASON));
            }
        }
        return reasons;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = pg.connect(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
