package dev.embedstream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.devservices.LocalKafka;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.simulator.EmbeddingSimulator;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedder, the writer and the maintenance worker as processes of their own ({@code embedstream
 * run --workers ...}) while documents and their updates are published: killed with SIGKILL at random
 * moments, or with the database or the broker gone for a while. Every document must end exactly
 * once in the table with its latest text, and the secrets (the API key, and the password of a
 * database role made for the test) must appear in no output, no {@code /status} and no dead letter.
 */
class WorkerFaultsIT {

    private static final String KEY = "sk-fault-suite-" + UUID.randomUUID();
    private static final int DOCUMENTS = 2_000;
    private static final int ROUNDS = 6;

    private PostgresEndpoint admin;
    private SecretRole role;
    private PostgresEndpoint pg;
    private String schema;
    private KafkaSettings kafka;
    private EmbeddingSimulator simulator;
    private WorkerProcesses workers;
    private Ledger ledger;

    @BeforeEach
    void start() throws Exception {
        admin = TestInfra.postgres();
        role = new SecretRole(admin);
        pg = role.endpoint();
        schema = TestInfra.uniqueSchema("fault");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "fault-" + run, "fault-" + run + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(100_000).withTpm(50_000_000));
        workers = new WorkerProcesses();
        workers.env.putAll(FaultEnv.of(kafka, pg, schema, run, simulator.baseUrl(), KEY));
        workers.env.put("EMBEDSTREAM_MAINTENANCE_STATS_INTERVAL", "2s");
        useBroker(kafka.bootstrapServers());
    }

    @AfterEach
    void stop() throws SQLException {
        workers.close();
        ledger.close();
        simulator.close();
        admin.dropSchema(schema);
        role.close();
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenWorkersAreKilledAtRandomMoments() throws Exception {
        // Given the three workers as separate processes
        for (String r : WorkerProcesses.ROLES) {
            workers.spawn(r);
        }
        // When 2,000 documents, then new versions of a quarter of them, are published while workers
        // are killed (SIGKILL) and restarted at random moments
        Thread publishing = new Thread(this::publish);
        publishing.start();
        Random random = new Random(7);
        List<String> killed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(1_500 + random.nextInt(2_500));
            String victim = WorkerProcesses.ROLES.get(random.nextInt(3));
            workers.kill(victim);
            killed.add(victim);
            workers.spawn(victim);
        }
        publishing.join(120_000);

        // Then, once the workers have caught up, every document is in the table exactly once, current
        Ledger.Tally tally = ledger.settle(workers::requireAlive, "kill -9 " + killed);
        assertEveryDocumentOnce(tally);
        assertThat(tally.wrongDimensions).isZero();
        // And neither the API key nor the database password is in any output, status page or metric
        assertNoSecretIn(workers.allOutput() + httpPages() + ledger.deadLetterText());
    }

    @Test
    void shouldLoseNothingWhenPostgresqlStopsAndRestartsMidRun() throws Exception {
        // Given the project-local PostgreSQL (a cluster this test may stop) and the workers as processes
        org.junit.jupiter.api.Assumptions.assumeTrue(TestInfra.usesLocalPostgres(), "needs the scripts/pg.sh cluster");
        // (up and running: a process that cannot reach its database at start-up exits, for its
        // supervisor to start again; this test is about a database lost mid-run)
        workers.spawnAllAndAwaitRunning();
        // When PostgreSQL stops for a while as documents are published, then starts again
        Thread publishing = new Thread(this::publish);
        publishing.start();
        Thread.sleep(2_500);
        Ledger.Tally before = ledger.measure();
        try {
            pgScript("stop");
            Thread.sleep(8_000);
        } finally {
            pgScript("start");
        }
        publishing.join(120_000);

        // Then the workers waited and resumed: every document is in the table exactly once, current
        Ledger.Tally tally = ledger.settleIgnoringErrors(workers::requireAlive, "PostgreSQL stopped 8 s");
        assertThat(before.embedded).as("documents stored when PostgreSQL stopped").isLessThan(DOCUMENTS);
        assertEveryDocumentOnce(tally);
        // And the connection errors they logged carry no secret
        // (how the outage shows depends on timing: the driver's error, the pool's timeout or a closed connection)
        assertThat(workers.allOutput()).containsAnyOf("PSQLException", "SQLTransientConnectionException",
                "This connection has been closed");
        assertNoSecretIn(workers.allOutput() + httpPages());
    }

    @Test
    void shouldLoseNothingWhenTheBrokerStopsAndRestartsMidRun() throws Exception {
        // Given a broker of this test's own (stopping the shared one would disturb other tests)
        Path data = Files.createTempDirectory("embedstream-fault-kafka-");
        LocalKafka broker = LocalKafka.start(data, 0);
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        try {
            useBroker(broker.bootstrapServers());
            workers.spawnAllAndAwaitRunning();
            // When the broker stops for 8 s as documents are published, then starts again on its log
            Thread publishing = new Thread(this::publish);
            publishing.start();
            Thread.sleep(2_500);
            Ledger.Tally before = ledger.measure();
            broker.close();
            Thread.sleep(8_000);
            broker = LocalKafka.start(data, port);
            publishing.join(180_000);

            // Then every document is in the table exactly once, current
            Ledger.Tally tally = ledger.settle(workers::requireAlive, "broker stopped 8 s");
            assertThat(before.embedded).as("documents stored when the broker stopped").isLessThan(DOCUMENTS);
            assertEveryDocumentOnce(tally);
            assertNoSecretIn(workers.allOutput());
        } finally {
            workers.close();
            ledger.close();
            broker.close();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private void useBroker(String bootstrapServers) {
        if (ledger != null) {
            ledger.close();
        }
        kafka = new KafkaSettings(bootstrapServers, kafka.clientIdPrefix(), kafka.topicPrefix());
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        workers.env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        ledger = new Ledger(pg, schema, 64, kafka);
    }

    /** Nothing lost, nothing twice, nothing dead-lettered: all documents in the table, current. */
    private static void assertEveryDocumentOnce(Ledger.Tally tally) {
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.deadLettered).isZero();
        assertThat(tally.embedded).isEqualTo(DOCUMENTS);
    }

    private void assertNoSecretIn(String everything) {
        assertThat(everything).isNotEmpty().doesNotContain(KEY).doesNotContain(pg.password());
    }

    /** {@code /status} and {@code /metrics} of every running process. */
    private String httpPages() throws Exception {
        StringBuilder b = new StringBuilder();
        HttpClient http = HttpClient.newHttpClient();
        for (String r : WorkerProcesses.ROLES) {
            for (String page : List.of("/status", "/metrics", "/health/ready")) {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + workers.httpPort(r) + page)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(res.body()).as("%s of the %s process", page, r).isNotBlank();
                b.append(res.body());
            }
        }
        return b.toString();
    }

    private static void pgScript(String command) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("scripts/pg.sh"))) {
            root = root.getParent();
        }
        Process p = new ProcessBuilder("bash", root.resolve("scripts/pg.sh").toString(), command)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("scripts/pg.sh %s: %s", command, output).isZero();
    }

    private void publish() {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < DOCUMENTS; i++) {
                send(publisher, i, 1, "Document " + i + " about topic " + (i % 40));
                if (i % 200 == 199) {
                    publisher.flush();
                    Thread.sleep(500);
                }
            }
            for (int i = 0; i < DOCUMENTS; i += 4) {
                send(publisher, i, 2, "Document " + i + ", revised: the meeting moved to room " + (i % 13));
            }
            publisher.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(DocumentPublisher publisher, int i, long version, String text) {
        Document doc = new Document("faults", "d-" + i, text, Map.of("n", i), version);
        ledger.published(doc);
        publisher.publish(doc);
    }
}
