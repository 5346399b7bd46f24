package dev.embedstream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.Pipeline;
import dev.embedstream.app.cli.DlqCommand;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.ConsumerLag;
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
import dev.embedstream.simulator.Stats;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline with the OpenAI-compatible provider against the simulator misbehaving in every way
 * it can, one kind of fault at a time and then all at once: every document ends embedded exactly
 * once, or (refused by the provider) dead-lettered once with the provider's reason; none lost.
 */
class ProviderFaultsIT {

    private static final String KEY = "sk-test-" + UUID.randomUUID();

    /** One kind of provider misbehaviour, at a rate that hits many requests of a run. */
    enum Kind {
        RATE_LIMIT_STORMS(f -> f.withRateLimitStormRate(0.3).withRetryAfterMs(100)),
        SERVER_ERRORS(f -> f.withServerErrorRate(0.3)),
        TIMEOUTS(f -> f.withTimeout(0.15, 1_500)),
        CONNECTION_RESETS(f -> f.withConnectionResetRate(0.3)),
        MALFORMED_JSON(f -> f.withMalformedJsonRate(0.3)),
        WRONG_DIMENSIONS(f -> f.withWrongDimensionsRate(0.3)),
        NAN_VALUES(f -> f.withNanRate(0.3)),
        FEWER_VECTORS_THAN_INPUTS(f -> f.withMissingVectorsRate(0.3));

        final UnaryOperator<Faults> faults;

        Kind(UnaryOperator<Faults> faults) {
            this.faults = faults;
        }
    }

    private EmbeddingSimulator simulator;
    private Pipeline pipeline;
    private PostgresEndpoint pg;
    private String schema;
    private Ledger ledger;

    @AfterEach
    void stop() throws SQLException {
        if (pipeline != null) {
            pipeline.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        pg.dropSchema(schema);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void shouldEmbedEveryDocumentExactlyOnceThrough(Kind kind) throws Exception {
        // Given a provider with one kind of fault on about a third of its requests
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(60_000).withTpm(20_000_000)
                .withFaults(kind.faults.apply(Faults.none())));
        KafkaSettings kafka = startPipeline();

        // When documents are published
        publish(kafka, 300, "");
        awaitDrained(kafka);

        // Then each is embedded exactly once, at the right width, and none is dead-lettered
        Ledger.Tally tally = ledger.measure();
        System.out.println(tally.line("provider " + kind.name().toLowerCase().replace('_', ' ')));
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.wrongDimensions).isZero();
        assertThat(tally.deadLettered).isZero();
        assertThat(tally.embedded).isEqualTo(300);
        // And the fault really happened and was waited out or retried
        OpenAiProvider.Snapshot client = ((OpenAiProvider) pipeline.provider()).stats();
        Stats server = simulator.stats();
        switch (kind) {
            case RATE_LIMIT_STORMS -> assertThat(client.rateLimited()).isPositive();
            case SERVER_ERRORS -> assertThat(server.serverErrors()).isPositive();
            case TIMEOUTS, CONNECTION_RESETS -> assertThat(server.dropped()).isPositive();
            default -> assertThat(client.retries()).isPositive();
        }
    }

    @Test
    void shouldEmbedOrDeadLetterEveryDocumentUnderAllProviderFaultsAtOnce() throws Exception {
        // Given a provider that rate-limits, fails, times out and returns broken replies, and refuses "POISON"
        Faults faults = Faults.none().withServerErrorRate(0.08).withRateLimitStormRate(0.08).withRetryAfterMs(150)
                .withTimeout(0.03, 1500).withConnectionResetRate(0.03).withMalformedJsonRate(0.03)
                .withWrongDimensionsRate(0.03).withNanRate(0.03).withMissingVectorsRate(0.03).withFailMarker("POISON");
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(60_000).withTpm(20_000_000)
                .withFaults(faults));
        KafkaSettings kafka = startPipeline();

        // When 2,000 documents are published, 25 of them poisoned
        publish(kafka, 2_000, "POISON");
        awaitDrained(kafka);

        // Then every document is either a row or a dead letter with the provider's reason, exactly once
        Ledger.Tally tally = ledger.measure();
        System.out.println(tally.line("provider, all faults at once"));
        assertThat(tally.problems).isEmpty();
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.wrongDimensions).isZero();
        assertThat(tally.embedded).isEqualTo(2_000 - 25);
        assertThat(tally.deadLettered).isEqualTo(25);
        // And the faults really happened and were waited out or retried
        OpenAiProvider.Snapshot stats = ((OpenAiProvider) pipeline.provider()).stats();
        assertThat(stats.rateLimited()).isPositive();
        assertThat(stats.retries()).isPositive();
        // And the meters tell the same story
        String scrape = pipeline.meters().scrape();
        assertThat(scrape).contains("embedstream_embedder_documents_total{model=\"text-embedding-3-small@api/64\",outcome=\"embedded\"} " + tally.embedded + ".0")
                .contains("embedstream_embedder_documents_total{model=\"text-embedding-3-small@api/64\",outcome=\"dead_lettered\"} 25.0")
                .contains("embedstream_provider_rate_limited_total{model=\"text-embedding-3-small@api/64\"} " + stats.rateLimited() + ".0")
                .contains("embedstream_provider_request_inputs_count")
                .contains("embedstream_provider_circuit_state{model=\"text-embedding-3-small@api/64\"}")
                .contains("embedstream_provider_limiter_wait_seconds_total")
                .contains("embedstream_provider_tokens_total");
        assertThat(scrape + ledger.deadLetterText()).doesNotContain(KEY);

        // When the provider is fixed and the dead letters are replayed
        simulator.setFaults(Faults.none());
        assertThat(DlqCommand.replay(kafka).replayed()).isEqualTo(25);
        awaitDrained(kafka);
        // Then they are embedded too, and a second replay finds nothing new
        try (var c = pg.connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".docs_reports_1")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2_000);
        }
        assertThat(DlqCommand.replay(kafka).replayed()).isZero();
    }

    @Test
    void shouldPauseWhileTheProviderIsDownAndResumeWhenItIsBack() throws Exception {
        // Given a provider that fails every request
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY)
                .withFaults(Faults.none().withServerErrorRate(1.0)));
        KafkaSettings kafka = startPipeline();
        publish(kafka, 100, "");
        // When the circuit opens, nothing is dead-lettered and nothing committed while it is down
        OpenAiProvider provider = (OpenAiProvider) pipeline.provider();
        await().atMost(Duration.ofSeconds(60)).until(() -> provider.stats().circuitOpened() > 0);
        assertThat(pipeline.embedder().stats().deadLettered()).isZero();
        assertThat(pipeline.embedder().stats().embedded()).isZero();
        // And when the provider is back
        simulator.setFaults(Faults.none());
        awaitDrained(kafka);
        // Then every document is embedded, none lost, none dead-lettered
        Ledger.Tally tally = ledger.measure();
        System.out.println(tally.line("provider down, circuit open"));
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.deadLettered).isZero();
        assertThat(tally.embedded).isEqualTo(100);
        assertThat(pipeline.meters().scrape()).contains("embedstream_provider_circuit_opened_total");
    }

    private void publish(KafkaSettings kafka, int count, String marker) throws Exception {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < count; i++) {
                boolean poisoned = !marker.isEmpty() && i % 80 == 7;
                String text = (poisoned ? marker + " " : "") + "Field report " + i + " on the "
                        + List.of("harvest", "river levels", "bridge repairs", "school opening").get(i % 4);
                Document doc = new Document("reports", "r-" + i, text, Map.of(), 1L);
                var sent = publisher.publish(doc);
                if (poisoned) {
                    ledger.bad(sent.get(), "poisoned r-" + i, "provider refused the input");
                } else {
                    ledger.published(doc);
                }
            }
            publisher.flush();
        }
    }

    private KafkaSettings startPipeline() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("pfit");
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "pf-" + run + ".");
        Map<String, String> env = FaultEnv.of(kafka, pg, schema, run, simulator.baseUrl(), KEY);
        env.put(EmbedderConfig.BATCH_DOCUMENTS, "50");
        // a batch the open circuit turned away is retried after at most 2 s, not the default 30 s
        env.put(EmbedderConfig.RETRY_BACKOFF_MAX, "2s");
        env.put(OpenAiConfig.MAX_INPUTS_PER_REQUEST, "16");
        env.put(OpenAiConfig.REQUEST_TIMEOUT, "1s");
        env.put(OpenAiConfig.MAX_ATTEMPTS, "10");
        env.put(OpenAiConfig.BACKOFF_MAX, "500ms");
        env.put(OpenAiConfig.BREAKER_OPEN_WAIT, "1s");
        ConfigLookup lookup = ConfigLookup.of(env);
        AppConfig config = new AppConfig(Optional.of(kafka), EmbedderConfig.from(lookup),
                Optional.of(OpenAiConfig.from(lookup)), WriterConfig.from(lookup));
        pipeline = Pipeline.start(config);
        ledger = new Ledger(pg, schema, 64, kafka);
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
}
