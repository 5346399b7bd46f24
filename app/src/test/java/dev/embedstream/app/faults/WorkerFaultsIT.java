package dev.embedstream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.ContentHash;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedder, the writer and the maintenance worker as processes of their own ({@code embedstream
 * run --workers ...}) while documents and their updates are published: killed with SIGKILL at random
 * moments, or with the database or the broker gone for a while. Every document must end exactly
 * once in the table with its latest text, and the secrets must appear in none of the processes' output.
 */
class WorkerFaultsIT {

    private static final String KEY = "sk-fault-suite-secret-4d1f";
    private static final int DOCUMENTS = 2_000;
    private static final int ROUNDS = 6;

    private PostgresEndpoint pg;
    private String schema;
    private KafkaSettings kafka;
    private EmbeddingSimulator simulator;
    private Path logs;
    private final Map<String, Process> workers = new ConcurrentHashMap<>();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("fault");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "fault-" + run, "fault-" + run + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(100_000).withTpm(50_000_000));
        logs = Files.createTempDirectory("embedstream-faults-");
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(KafkaSettings.CLIENT_ID_PREFIX, kafka.clientIdPrefix());
        env.put(KafkaSettings.TOPIC_PREFIX, kafka.topicPrefix());
        env.put(WriterConfig.JDBC_URL, pg.jdbcUrl());
        env.put(WriterConfig.USER, pg.user());
        env.put(WriterConfig.PASSWORD, pg.password());
        env.put(WriterConfig.SCHEMA, schema);
        env.put(WriterConfig.GROUP_ID, "writer-" + run);
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        env.put(EmbedderConfig.PROVIDER, EmbedderConfig.PROVIDER_OPENAI);
        env.put(OpenAiConfig.BASE_URL, simulator.baseUrl());
        env.put(OpenAiConfig.API_KEY, KEY);
        env.put(OpenAiConfig.DIMENSIONS, "64");
        env.put("EMBEDSTREAM_HTTP_PORT", "0");
        env.put("EMBEDSTREAM_MAINTENANCE_STATS_INTERVAL", "2s");
    }

    @AfterEach
    void stop() throws SQLException {
        workers.values().forEach(Process::destroyForcibly);
        simulator.close();
        pg.dropSchema(schema);
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenWorkersAreKilledAtRandomMoments() throws Exception {
        // Given the three workers as separate processes
        for (String role : List.of("embedder", "writer", "maintenance")) {
            spawn(role);
        }
        // When 2,000 documents, then new versions of a quarter of them, are published while workers
        // are killed (SIGKILL) and restarted at random moments
        Map<String, String> latest = new ConcurrentHashMap<>();
        Thread publishing = new Thread(() -> publish(latest));
        publishing.start();
        Random random = new Random(7);
        List<String> killed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Thread.sleep(1_500 + random.nextInt(2_500));
            String role = List.of("embedder", "writer", "maintenance").get(random.nextInt(3));
            workers.get(role).destroyForcibly().waitFor();
            killed.add(role);
            spawn(role);
        }
        publishing.join(120_000);

        // Then, once the workers have caught up, every document is in the table exactly once, current
        Tally tally = settled(latest, "kill -9 " + killed, false);
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.wrongDimensions).isZero();
        assertThat(tally.embedded).isEqualTo(DOCUMENTS);
        // And neither the API key nor the database password is in any output of any process
        String output = allOutput();
        assertThat(output).isNotEmpty().doesNotContain(KEY).doesNotContain("password=" + pg.password());
    }

    @Test
    void shouldLoseNothingWhenPostgresqlStopsAndRestartsMidRun() throws Exception {
        // Given the project-local PostgreSQL (a cluster this test may stop) and the workers as processes
        org.junit.jupiter.api.Assumptions.assumeTrue(TestInfra.usesLocalPostgres(), "needs the scripts/pg.sh cluster");
        // (up and running: a process that cannot reach its database at start-up exits, for its
        // supervisor to start again; this test is about a database lost mid-run)
        spawnAllAndAwaitRunning();
        // When PostgreSQL stops for a while as documents are published, then starts again
        Map<String, String> latest = new ConcurrentHashMap<>();
        Thread publishing = new Thread(() -> publish(latest));
        publishing.start();
        Thread.sleep(2_500);
        Tally before = new Tally();
        before.measure(latest);
        try {
            pgScript("stop");
            Thread.sleep(8_000);
        } finally {
            pgScript("start");
        }
        publishing.join(120_000);

        // Then the workers waited and resumed: every document is in the table exactly once, current
        Tally tally = settled(latest, "PostgreSQL stopped 8 s", true);
        assertThat(before.embedded).as("documents stored when PostgreSQL stopped").isLessThan(DOCUMENTS);
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.deadLettered).isZero();
        assertThat(tally.embedded).isEqualTo(DOCUMENTS);
    }

    @Test
    void shouldLoseNothingWhenTheBrokerStopsAndRestartsMidRun() throws Exception {
        // Given a broker of this test's own (stopping the shared one would disturb other tests)
        Path data = Files.createTempDirectory("embedstream-fault-kafka-");
        LocalKafka broker = LocalKafka.start(data, 0);
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        try {
            kafka = new KafkaSettings(broker.bootstrapServers(), kafka.clientIdPrefix(), kafka.topicPrefix());
            TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
            env.put(KafkaSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            spawnAllAndAwaitRunning();
            // When the broker stops for 8 s as documents are published, then starts again on its log
            Map<String, String> latest = new ConcurrentHashMap<>();
            Thread publishing = new Thread(() -> publish(latest));
            publishing.start();
            Thread.sleep(2_500);
            Tally before = new Tally();
            before.measure(latest);
            broker.close();
            Thread.sleep(8_000);
            broker = LocalKafka.start(data, port);
            publishing.join(180_000);

            // Then every document is in the table exactly once, current
            Tally tally = settled(latest, "broker stopped 8 s", false);
            assertThat(before.embedded).as("documents stored when the broker stopped").isLessThan(DOCUMENTS);
            assertThat(tally.lost).isZero();
            assertThat(tally.duplicated).isZero();
            assertThat(tally.deadLettered).isZero();
            assertThat(tally.embedded).isEqualTo(DOCUMENTS);
        } finally {
            workers.values().forEach(Process::destroyForcibly);
            broker.close();
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
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

    private void publish(Map<String, String> latest) {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < DOCUMENTS; i++) {
                send(publisher, latest, i, 1, "Document " + i + " about topic " + (i % 40));
                if (i % 200 == 199) {
                    publisher.flush();
                    Thread.sleep(500);
                }
            }
            for (int i = 0; i < DOCUMENTS; i += 4) {
                send(publisher, latest, i, 2, "Document " + i + ", revised: the meeting moved to room " + (i % 13));
            }
            publisher.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(DocumentPublisher publisher, Map<String, String> latest, int i, long version, String text) {
        String id = "d-" + i;
        latest.put(id, text);
        publisher.publish(new Document("faults", id, text, Map.of("n", i), version));
    }

    /** Once the workers have caught up: the tally, printed under {@code label}. */
    private Tally settled(Map<String, String> latest, String label, boolean databaseWasAway) {
        Tally tally = new Tally();
        var wait = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1));
        (databaseWasAway ? wait.ignoreExceptions() : wait).until(() -> {
            tally.measure(latest);
            return tally.lost == 0;
        });
        System.out.printf("%s: published %d / embedded %d / dead-lettered %d / lost %d / duplicated %d%n", label,
                tally.published, tally.embedded, tally.deadLettered, tally.lost, tally.duplicated);
        return tally;
    }

    private void spawnAllAndAwaitRunning() throws IOException {
        for (String role : List.of("embedder", "writer", "maintenance")) {
            spawn(role);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> allOutput().split("embedstream running", -1).length - 1 == 3);
    }

    private void spawn(String role) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.embedstream.app.Main", "run", "--workers", role);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(role + ".log").toFile()));
        workers.put(role, pb.start());
    }

    private String allOutput() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path p : files.toList()) {
                b.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    /** What the table holds against what was published. */
    private final class Tally {
        long published;
        long embedded;
        long deadLettered;
        long lost;
        long duplicated;
        long wrongDimensions;

        void measure(Map<String, String> latest) throws SQLException {
            for (Process p : workers.values()) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a worker process exited by itself (see its log in " + logs + ")");
                }
            }
            published = latest.size();
            Map<String, String> stored = new HashMap<>();
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                if (!exists(st)) {
                    lost = published;
                    return;
                }
                try (ResultSet rs = st.executeQuery("SELECT doc_id, text_hash FROM \"" + schema + "\".docs_faults_1")) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), rs.getString(2));
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE n > 1), count(*) FILTER"
                        + " (WHERE dims <> 64) FROM (SELECT doc_id, count(*) AS n, max(vector_dims(embedding)) AS dims"
                        + " FROM \"" + schema + "\".vec_faults_1 GROUP BY doc_id) x")) {
                    rs.next();
                    duplicated = rs.getLong(1);
                    wrongDimensions = rs.getLong(2);
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\".dead_letters")) {
                    rs.next();
                    deadLettered = rs.getLong(1);
                }
            }
            embedded = stored.size();
            lost = latest.entrySet().stream().filter(e -> !ContentHash.ofText(e.getValue()).equals(stored.get(e.getKey())))
                    .count();
        }

        private boolean exists(Statement st) throws SQLException {
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('\"" + schema + "\".docs_faults_1') IS NOT NULL")) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
