package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.embedstream.app.internal.BackfillTables;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.TableBackfill;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.VectorStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backfill of an existing table on a real broker, PostgreSQL and the local model. */
class BackfillIT {

    private static final int N = 200;
    private static final int PAGE = 50;
    private static final String COLLECTION = "articles";

    private PostgresEndpoint pg;
    private String schema;
    private String source;
    private KafkaSettings kafka;
    private Pipeline pipeline;
    private VectorStore store;

    @BeforeEach
    void start() throws SQLException {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("bit");
        source = TestInfra.uniqueSchema("src");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "it-" + run + ".");
        EmbedderConfig embedder = EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(
                EmbedderConfig.GROUP_ID, "embedder-" + run)));
        pipeline = Pipeline.start(new AppConfig(Optional.of(kafka), embedder, ItConfigs.writer(pg, schema, "writer-" + run)));
        store = pipeline.store();
        sql("CREATE SCHEMA " + source,
                "CREATE TABLE " + source + ".articles (id bigint PRIMARY KEY, title text NOT NULL, body text,"
                        + " updated_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                "INSERT INTO " + source + ".articles (id, title, body) SELECT g, 'Article ' || g,"
                        + " 'Notes on topic ' || (g % 17) || ' and item ' || g FROM generate_series(1, " + N + ") g");
        store.ensureCollection(COLLECTION, new TableSource(source, "articles", "id", "{title}\\n\\n{body}", "updated_at"),
                "local", LocalModels.ALL_MINILM_L6_V2, 32, 16, 64);
    }

    @AfterEach
    void stop() throws SQLException {
        pipeline.close();
        pg.dropSchema(schema);
        pg.dropSchema(source);
    }

    @Test
    void shouldBackfillToFullCoverageResumeAfterACrashAndFollowUpdatesAndDeletes() throws Exception {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            // Given a backfill that crashes after its second page
            AtomicInteger pages = new AtomicInteger();
            assertThatThrownBy(() -> backfill(publisher, p -> {
                if (pages.incrementAndGet() == 2) {
                    throw new IllegalStateException("simulated crash");
                }
            }).run(false)).hasMessage("simulated crash");
            awaitCoverage(c -> c.current() == 2 * PAGE);
            Map<String, String> before = embeddedAt();
            assertThat(before).hasSize(2 * PAGE);

            // When it runs again
            TableBackfill.Progress second = backfill(publisher, p -> { }).run(false);

            // Then it resumes after the checkpoint, publishes only the rest, and coverage reaches 100%
            assertThat(second.resumed()).isTrue();
            assertThat(second.published()).as("published by both runs").isEqualTo(N);
            Coverage full = awaitCoverage(c -> c.current() == N);
            assertThat(pipeline.embedder().stats().embedded()).as("each row embedded once").isEqualTo(N);
            assertThat(pipeline.embedder().stats().skipped()).as("no row published twice").isZero();
            assertThat(full.ratio()).isEqualTo(1.0);
            assertThat(full.stale() + full.missing() + full.orphaned()).isZero();
            Map<String, String> after = embeddedAt();
            before.forEach((id, at) -> assertThat(after.get(id)).as("row %s embedded once", id).isEqualTo(at));
            // And the bulk load went into a table without its HNSW index, built once coverage was complete
            var g = store.collection(COLLECTION).orElseThrow().active();
            assertThat(g.indexBuilt()).as("index built before the backfill").isFalse();
            assertThat(indexes(g.vectorTable())).isZero();
            dev.embedstream.app.cli.BackfillCommand.buildDeferredIndexes(store, COLLECTION);
            assertThat(store.collection(COLLECTION).orElseThrow().active().indexBuilt()).isTrue();
            assertThat(indexes(g.vectorTable())).isEqualTo(1);

            // When 10% of the rows change
            sql("UPDATE " + source + ".articles SET body = body || ' (revised)', updated_at = clock_timestamp()"
                    + " WHERE id % 10 = 0");

            // Then exactly those are stale, and a dry run counts them without publishing
            Coverage changed = coverage();
            assertThat(changed.stale()).isEqualTo(N / 10);
            assertThat(changed.current()).isEqualTo(N - N / 10);
            TableBackfill.Progress dry = backfill(null, p -> { }).run(false);
            assertThat(dry.stale()).isEqualTo(N / 10);
            assertThat(dry.published()).isZero();

            // When watch mode follows the table
            AtomicBoolean stopped = new AtomicBoolean();
            TableBackfill watcher = backfill(publisher, p -> { });
            String watermark = "1970-01-01 00:00:00+00";
            Thread watch = new Thread(() -> watcher.watch(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO,
                    stopped::get, Clock.systemUTC(), watermark), "watch");
            watch.start();
            try {
                // Then the changed rows are current again, and only they were embedded again
                awaitCoverage(c -> c.current() == N);
                Map<String, String> rewritten = embeddedAt();
                after.forEach((id, at) -> {
                    boolean updated = Long.parseLong(id) % 10 == 0;
                    assertThat(rewritten.get(id).equals(at)).as("row %s unchanged", id).isEqualTo(!updated);
                });

                // When rows are deleted from the table, their vectors are removed
                sql("DELETE FROM " + source + ".articles WHERE id <= 5");
                Coverage gone = awaitCoverage(c -> c.total() == N - 5 && c.orphaned() == 0 && c.current() == N - 5);
                assertThat(gone.ratio()).isEqualTo(1.0);
                assertThat(count("vec_articles_1", "doc_id IN ('1','2','3','4','5')")).isZero();
            } finally {
                stopped.set(true);
                watch.join(10_000);
            }
        }
    }

    @Test
    void shouldPublishRowsWaitingToBeWrittenOnceAcrossPollsUntilTheirTextChanges() throws Exception {
        // Given a watch whose documents topic no pipeline reads, so nothing it publishes gets written,
        // and a table whose 200 rows all changed within the lookback window
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings unread = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "unread-" + run + ".");
        dev.embedstream.contracts.TopicSetup.ensure(unread, 1, (short) 1);
        AtomicInteger published = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        try (DocumentPublisher publisher = new DocumentPublisher(unread)) {
            TableBackfill watcher = backfill(publisher, p -> published.addAndGet((int) p.published()));
            Thread watch = new Thread(() -> watcher.watch(Duration.ofMillis(1), Duration.ofSeconds(60), Duration.ofHours(1),
                    () -> {
                        polls.incrementAndGet();
                        return stopped.get();
                    }, Clock.systemUTC(), "1970-01-01 00:00:00+00"), "watch");
            watch.start();
            try {
                // When it polls again and again while they wait (with a 1 ms interval the stop flag is asked
                // about three times a poll: 60 asks are about 20 polls)
                await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= N);
                int after = polls.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= after + 60);

                // Then each was published once
                assertThat(published.get()).isEqualTo(N);

                // And when 20 of them change again, those 20 go out again, once
                sql("UPDATE " + source + ".articles SET body = body || ' (revised)', updated_at = clock_timestamp()"
                        + " WHERE id % 10 = 0");
                await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= N + N / 10);
                int later = polls.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> polls.get() >= later + 60);
                assertThat(published.get()).isEqualTo(N + N / 10);
            } finally {
                stopped.set(true);
                watch.join(10_000);
            }
        }
    }

    /** Valid HNSW indexes on a vector table. */
    private long indexes(String vectorTable) throws java.sql.SQLException {
        try (var c = store.dataSource().getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM pg_index i"
                + " JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam"
                + " WHERE n.nspname = ? AND t.relname = ? AND a.amname = 'hnsw' AND i.indisvalid")) {
            ps.setString(1, schema);
            ps.setString(2, vectorTable);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private TableBackfill backfill(DocumentPublisher publisher, TableBackfill.Listener listener) {
        return new TableBackfill(store.dataSource(), schema, COLLECTION, store.collection(COLLECTION).orElseThrow().source(),
                () -> BackfillTables.liveDocsTables(store, COLLECTION), publisher, PAGE, listener);
    }

    private Coverage coverage() {
        return store.coverage(COLLECTION).get(0);
    }

    private Coverage awaitCoverage(java.util.function.Predicate<Coverage> done) {
        Coverage[] last = new Coverage[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            pipeline.requireHealthy();
            last[0] = coverage();
            return done.test(last[0]);
        });
        return last[0];
    }

    private Map<String, String> embeddedAt() throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT doc_id, embedded_at::text FROM \"" + schema + "\".docs_articles_1")) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        }
        return result;
    }

    private long count(String table, String where) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\"." + table + " WHERE " + where)) {
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
}
