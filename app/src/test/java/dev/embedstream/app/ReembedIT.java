package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.app.cli.SearchCommand;
import dev.embedstream.app.internal.BackfillTables;
import dev.embedstream.app.internal.Context;
import dev.embedstream.app.internal.ReembedJob;
import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.TableBackfill;
import dev.embedstream.simulator.EmbeddingSimulator;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.Change;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.SearchHit;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriteResult;
import dev.embedstream.writer.WriterConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model change under load: the local model's collection re-embedded to an OpenAI-compatible
 * model of other dimensions (the simulator) while rows change and searches run.
 */
class ReembedIT {

    private static final String KEY = "sk-reembed-it";
    private static final int N = 150;

    private PostgresEndpoint pg;
    private String schema;
    private String source;
    private KafkaSettings kafka;
    private EmbeddingSimulator simulator;
    private Pipeline pipeline;
    private VectorStore store;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> searchFailures = new CopyOnWriteArrayList<>();
    private final Set<String> modelsSearched = ConcurrentHashMap.newKeySet();
    private final AtomicLong searches = new AtomicLong();

    @BeforeEach
    void start() throws SQLException {
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(20_000).withTpm(5_000_000));
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("rit");
        source = TestInfra.uniqueSchema("rsrc");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "re-" + run + ".");
        Map<String, String> env = ItConfigs.writerEnv(pg, schema, "writer-" + run);
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        env.put(OpenAiConfig.BASE_URL, simulator.baseUrl());
        env.put(OpenAiConfig.API_KEY, KEY);
        env.put(OpenAiConfig.REQUEST_TIMEOUT, "5s");
        ConfigLookup lookup = ConfigLookup.of(env);
        pipeline = Pipeline.start(new AppConfig(Optional.of(kafka), EmbedderConfig.from(lookup),
                Optional.of(OpenAiConfig.from(lookup)), WriterConfig.from(lookup)));
        store = pipeline.store();
    }

    @AfterEach
    void stop() throws SQLException {
        stop.set(true);
        pipeline.close();
        simulator.close();
        pg.dropSchema(schema);
        pg.dropSchema(source);
    }

    @Test
    void shouldSwitchATableCollectionToANewModelWithoutASearchFailing() throws Exception {
        // Given a table-sourced collection fully embedded with the local model
        sql("CREATE SCHEMA " + source,
                "CREATE TABLE " + source + ".items (id bigint PRIMARY KEY, name text NOT NULL, body text,"
                        + " updated_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                "INSERT INTO " + source + ".items (id, name, body) SELECT g, 'Item ' || g,"
                        + " 'A short note about subject ' || (g % 11) FROM generate_series(1, " + N + ") g");
        store.ensureCollection("items", new TableSource(source, "items", "id", "{name}: {body}", "updated_at"), "local",
                LocalModels.ALL_MINILM_L6_V2, 32, 16, 64);
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            TableBackfill backfill = new TableBackfill(store.dataSource(), schema, "items",
                    store.collection("items").orElseThrow().source(), () -> BackfillTables.liveDocsTables(store, "items"),
                    publisher, 100, p -> { });
            backfill.run(false);
            awaitActive("items", c -> c.current() == N);

            // When rows keep changing (followed by watch mode) and searches keep running during a re-embed
            Thread watch = daemon("watch", () -> backfill.watch(Duration.ofMillis(200), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), stop::get, Clock.systemUTC(), backfill.currentWatermark()));
            Thread updates = daemon("updates", () -> {
                Random random = new Random(7);
                while (!stop.get()) {
                    int id = 1 + random.nextInt(N);
                    sqlQuietly("UPDATE " + source + ".items SET body = body || ' +', updated_at = clock_timestamp()"
                            + " WHERE id = " + id);
                    pause(50);
                }
            });
            Thread searching = searching("items", "a short note about subject 3");
            Coverage atCutOver = reembed("items", "openai:text-embedding-3-small", 64);
            pause(1500); // searches and updates go on after the switch too
            stop.set(true);
            join(watch, updates, searching);

            // Then no search failed or came back empty, both models answered, and the new one is complete
            assertThat(searchFailures).isEmpty();
            assertThat(modelsSearched).contains("all-minilm-l6-v2@fp32/384", "text-embedding-3-small@api/64");
            assertThat(atCutOver.model()).isEqualTo("text-embedding-3-small@api/64");
            backfill.run(false); // whatever the stopped watch had not picked up yet
            Coverage done = awaitActive("items", c -> c.current() == N);
            assertThat(done.model()).isEqualTo("text-embedding-3-small@api/64");
            assertThat(done.ratio()).isEqualTo(1.0);
        }

        // And after the drop, the old model's tables are gone and its vectors are refused
        new ReembedJob(Context.of(pipeline), pipeline.config().embedder(), quiet(), Clock.systemUTC()).dropRetired("items");
        assertThat(exists("vec_items_1")).isFalse();
        assertThat(exists("docs_items_1")).isFalse();
        ModelId other = new ModelId("some-model", "api", 8, 512);
        WriteResult refused = store.write(List.of(new Change.Upsert(new EmbeddedDocument("items", "1", null, "h", "t",
                other, Map.of(), List.of(new Chunk(0, "t", new float[8])), null, false, "t"))));
        assertThat(refused.rejected()).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("text-embedding-3-small@api/64").contains("embedstream reembed"));
    }

    @Test
    void shouldReEmbedATopicCollectionFromItsStoredCopyWhileDocumentsChange() throws Exception {
        // Given documents only ever published to the topic, embedded with the local model
        int docs = 120;
        Map<String, String> latest = new ConcurrentHashMap<>();
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < docs; i++) {
                latest.put("n-" + i, "Note " + i + " on harbour " + (i % 9));
                publisher.publish(new Document("notes", "n-" + i, latest.get("n-" + i)));
            }
            publisher.flush();
            awaitActive("notes", c -> c.current() == docs);

            // When documents keep changing and searches keep running during a re-embed
            Thread changes = daemon("changes", () -> {
                Random random = new Random(3);
                int round = 0;
                while (!stop.get()) {
                    int i = random.nextInt(docs);
                    if (round++ % 8 == 7) {
                        // a delete racing with the replay must not be undone by it
                        latest.remove("n-" + i);
                        publisher.delete("notes", "n-" + i);
                    } else {
                        String text = "Note " + i + " on harbour " + (i % 9) + " rev " + round;
                        latest.put("n-" + i, text);
                        publisher.publish(new Document("notes", "n-" + i, text));
                    }
                    pause(40);
                }
            });
            Thread searching = searching("notes", "note on harbour 4");
            reembed("notes", "openai:text-embedding-3-small", 32);
            pause(1000);
            stop.set(true);
            join(changes, searching);
            publisher.flush();
        }

        // Then no search failed, and the new model holds every document with its latest text, deleted ones not
        assertThat(searchFailures).isEmpty();
        assertThat(modelsSearched).contains("text-embedding-3-small@api/32");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(textHashes("docs_notes_2"))
                .isEqualTo(latest.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> dev.embedstream.contracts.ContentHash.ofText(e.getValue())))));
        assertThat(store.coverage("notes").get(0).total()).isEqualTo(latest.size());
    }

    @Test
    void shouldSwitchTheBundledModelsVariantAsAModelChange() throws Exception {
        // Given a topic collection embedded with the default variant of the local model (int8)
        int docs = 40;
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < docs; i++) {
                publisher.publish(new Document("variants", "v-" + i, "Variant note " + i + " on harbour " + (i % 7)));
            }
            publisher.flush();
        }
        Coverage before = awaitActive("variants", c -> c.current() == docs);
        assertThat(before.model()).isEqualTo("all-minilm-l6-v2@int8/384");

        // When it is re-embedded with the fp32 variant of the same model
        Thread searching = searching("variants", "note on harbour 2");
        Coverage atCutOver = reembed("variants", "all-minilm-l6-v2@fp32", 0);
        stop.set(true);
        join(searching);

        // Then the fp32 generation is active and complete (never mixed with int8 vectors), and no search failed
        assertThat(atCutOver.model()).isEqualTo("all-minilm-l6-v2@fp32/384");
        Coverage after = awaitActive("variants", c -> c.current() == docs);
        assertThat(after.model()).isEqualTo("all-minilm-l6-v2@fp32/384");
        assertThat(after.ratio()).isEqualTo(1.0);
        assertThat(searchFailures).isEmpty();
    }

    private Coverage reembed(String collection, String model, int dimensions) {
        ReembedJob job = new ReembedJob(Context.of(pipeline), pipeline.config().embedder(), quiet(), Clock.systemUTC());
        return job.run(collection, new ReembedJob.Options(ModelSpec.parse(model, dimensions), 1.0, false, 16, 64, 32, 100,
                Duration.ofSeconds(60)));
    }

    private Thread searching(String collection, String query) {
        return daemon("search", () -> {
            while (!stop.get()) {
                try {
                    List<SearchHit> hits = store.search(collection, (m, text) -> {
                        modelsSearched.add(m.key());
                        return SearchCommand.embedQuery(pipeline.providers(), m, text);
                    }, query, 5, 40);
                    searches.incrementAndGet();
                    if (hits.isEmpty()) {
                        searchFailures.add("empty result");
                    }
                } catch (RuntimeException e) {
                    searchFailures.add(e.toString());
                }
            }
        });
    }

    private Coverage awaitActive(String collection, java.util.function.Predicate<Coverage> done) {
        Coverage[] last = new Coverage[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            pipeline.requireHealthy();
            last[0] = store.coverage(collection).get(0);
            return done.test(last[0]);
        });
        return last[0];
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread... threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(15_000);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private Map<String, String> textHashes(String table) throws SQLException {
        Map<String, String> result = new java.util.HashMap<>();
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT doc_id, text_hash FROM \"" + schema + "\"." + table)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        }
        return result;
    }

    private boolean exists(String table) throws SQLException {
        return query("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "' AND tablename = '" + table + "'") > 0;
    }

    private long query(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private void sqlQuietly(String statement) {
        try {
            sql(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
