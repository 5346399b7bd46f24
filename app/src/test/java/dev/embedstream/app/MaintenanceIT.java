package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.contracts.Topics;
import dev.embedstream.maintenance.EfSearchTuner;
import dev.embedstream.maintenance.MaintenanceConfig;
import dev.embedstream.maintenance.MaintenanceExecutor;
import dev.embedstream.maintenance.MaintenancePlanner;
import dev.embedstream.maintenance.MaintenanceWorker;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import dev.embedstream.writer.WriterWorker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Growth-triggered maintenance against a real broker and database, with writes going on. */
class MaintenanceIT {

    private static final ModelId MODEL = new ModelId("maint-model", "fp32", 32, 256);
    private static final String INDEX = "vec_docs_1_hnsw";

    private PostgresEndpoint pg;
    private String schema;
    private KafkaSettings kafka;
    private VectorStore store;
    private WriterWorker writer;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<MaintenanceWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("mit");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it-" + run, "mt-" + run + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        WriterConfig config = ItConfigs.writer(pg, schema, "writer-" + run);
        store = VectorStore.open(config);
        store.ensureCollection("docs", null, Generation.PROVIDER_LOCAL, MODEL, 0, 16, 64);
        writer = WriterWorker.start(kafka, config, store);
        var props = kafka.clientProperties("maintenance-it");
        props.put("acks", "all");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws SQLException {
        workers.forEach(MaintenanceWorker::close);
        producer.close();
        writer.close();
        store.close();
        pg.dropSchema(schema);
    }

    @Test
    void shouldReindexByItselfOnceRowsDoubledWhileWritesGoOn() throws Exception {
        // Given two maintenance instances watching an empty collection (reindex from 1,000 rows on)
        MaintenanceConfig config = MaintenanceConfig.defaults().withMinRows(1_000).withStatsInterval(Duration.ofSeconds(1));
        workers.add(worker(config, "one"));
        workers.add(worker(config, "two"));
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.stream().allMatch(MaintenanceWorker::isRunning));
        Thread.sleep(1500); // the first sample: the index's baseline is its empty table

        // When 1,800 documents are written, in batches, the whole time maintenance runs
        AtomicInteger sent = new AtomicInteger();
        Thread writes = new Thread(() -> {
            for (int i = 0; i < 1_800; i++) {
                send(document("d" + i));
                sent.incrementAndGet();
                if (i % 50 == 49) {
                    producer.flush();
                    pause(60);
                }
            }
            producer.flush();
        });
        writes.start();

        // Then the reindex happens by itself, with its reason on record
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                count("outcome = 'succeeded' AND action = 'REINDEX'") >= 1);
        writes.join(60_000);
        // And every write succeeded, during the reindex and after it
        await().atMost(Duration.ofSeconds(60)).until(() -> rows("docs_docs_1") == 1_800);
        assertThat(writer.isRunning()).isTrue();
        assertThat(writer.stats().deadLettered()).isZero();
        // And the index is valid, and the history says why
        assertThat(valid(INDEX)).isTrue();
        assertThat(invalidIndexes()).isZero();
        assertThat(text("SELECT reason FROM " + history() + " WHERE outcome = 'succeeded' ORDER BY id LIMIT 1"))
                .startsWith("rows grew from 0 to");
        // (writes kept landing between the policy's count and the end of the build)
        assertThat(count0("SELECT rows_after - rows_before FROM " + history() + " WHERE outcome = 'succeeded'")).isPositive();

        // When the same command is delivered again (a duplicate, or a second instance's topology)
        MaintenanceCommand again = new MaintenanceCommand("docs", 1, INDEX, "vec_docs_1",
                MaintenanceCommand.Action.REINDEX, "duplicate delivery", 1_800, 16, 0, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(kafka.topic(Topics.MAINTENANCE_COMMANDS).name(),
                again.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), Json.write(again))).get();
        // Then it is not run twice: it is skipped, within the cooldown
        await().atMost(Duration.ofSeconds(30)).until(() -> count("reason = 'duplicate delivery'") == 1);
        assertThat(text("SELECT outcome || ': ' || detail FROM " + history() + " WHERE reason = 'duplicate delivery'"))
                .startsWith("skipped: it succeeded").contains("cooldown");
        assertThat(count("outcome = 'succeeded' AND action = 'REINDEX'")).isEqualTo(1);
    }

    @Test
    void shouldLeaveNoInvalidIndexAndRetryWhenTheExecutorIsKilledMidBuild() throws Exception {
        // Given an index large enough that its rebuild takes a while
        indexRows(20_000);
        MaintenanceConfig config = MaintenanceConfig.defaults().withStatsInterval(Duration.ofHours(1));
        MaintenanceWorker first = worker(config, "first");
        // When a reindex is asked for and the executor's session dies mid-build
        MaintenanceCommand cmd = new MaintenanceCommand("docs", 1, INDEX, "vec_docs_1", MaintenanceCommand.Action.REINDEX,
                "asked by the test", 20_000, 16, 0, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(kafka.topic(Topics.MAINTENANCE_COMMANDS).name(),
                cmd.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), Json.write(cmd))).get();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                first.progress().isPresent() && buildPid() > 0);
        sql("SELECT pg_terminate_backend(" + buildPid() + ")");
        first.close();
        assertThat(count("outcome = 'succeeded'")).isZero();
        assertThat(count("outcome = 'interrupted'")).isPositive();

        // And, as a process killed outright would leave them: an action still marked running and an
        // invalid index of a concurrent build that never finished
        sql("INSERT INTO " + history() + " (collection, generation, index_name, action, reason, outcome, instance)"
                + " VALUES ('docs', 1, '" + INDEX + "', 'REINDEX', 'killed', 'running', 'gone')");
        leaveInvalidIndex("vec_docs_1_leftover");
        assertThat(invalidIndexes()).isEqualTo(1);

        // Then a restarted executor leaves no invalid index, runs the action again, and it succeeds once
        workers.add(worker(config, "second"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                count("outcome = 'succeeded'") == 1);
        assertThat(text("SELECT string_agg(outcome, ',' ORDER BY id) FROM " + history())).matches("(interrupted,)+succeeded");
        assertThat(text("SELECT outcome FROM " + history() + " WHERE reason = 'killed'")).isEqualTo("interrupted");
        assertThat(text("SELECT instance FROM " + history() + " WHERE outcome = 'succeeded'")).isEqualTo("second");
        assertThat(valid(INDEX)).isTrue();
        assertThat(invalidIndexes()).isZero();
    }

    @Test
    void shouldStoreTheSmallestEfSearchThatMeetsTheTargetRecall() throws Exception {
        // Given 3,000 indexed vectors
        sql("DROP INDEX " + q(INDEX));
        sql("INSERT INTO " + q("vec_docs_1") + " (doc_id, chunk_index, chunk_text, embedding)"
                + " SELECT 'g' || i, 0, 't', ARRAY(SELECT random() - 0.5 FROM generate_series(1, 32) WHERE i > 0)::vector"
                + " FROM generate_series(1, 3000) i");
        sql("CREATE INDEX " + INDEX + " ON " + q("vec_docs_1") + " USING hnsw (embedding vector_cosine_ops)");
        // When ef_search 1 (fewer candidates than k) and 400 are measured against exact search
        EfSearchTuner.Result r = new EfSearchTuner(store.dataSource(), schema).tune("docs", 30, 10, 0.9,
                List.of(400, 1), true);
        // Then 1 misses most neighbours, 400 finds them, and 400 is stored for search
        assertThat(r.rows()).extracting(EfSearchTuner.Row::efSearch).containsExactly(1, 400);
        assertThat(r.rows().get(0).recall()).isLessThanOrEqualTo(0.1);
        assertThat(r.rows().get(1).recall()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.chosen()).isEqualTo(400);
        assertThat(store.collection("docs").orElseThrow().active().efSearch()).isEqualTo(400);
        assertThat(r.table()).contains("<- smallest with recall >= 0.9");
        // And the planner sees the valid index and nothing to do
        var plan = new MaintenancePlanner(store.dataSource(), schema, MaintenanceConfig.defaults(), Clock.systemUTC()).plan();
        assertThat(plan).singleElement().satisfies(p -> {
            assertThat(p.valid()).isTrue();
            assertThat(p.command()).isEmpty();
        });
    }

    @Test
    void shouldRebuildWithNewParametersAndVacuumAfterAReindexOnOldPgvector() throws Exception {
        // Given an index of 2,000 rows with dead tuples
        sql("INSERT INTO " + q("vec_docs_1") + " (doc_id, chunk_index, chunk_text, embedding)"
                + " SELECT 'g' || i, 0, 't', ARRAY(SELECT random() - 0.5 FROM generate_series(1, 32) WHERE i > 0)::vector"
                + " FROM generate_series(1, 2000) i");
        sql("DELETE FROM " + q("vec_docs_1") + " WHERE doc_id LIKE 'g1%'");
        List<dev.embedstream.contracts.IndexEvent> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        MaintenanceExecutor executor = new MaintenanceExecutor(store.dataSource(), schema, MaintenanceConfig.defaults(),
                "test", done::add, Clock.systemUTC());
        // When it is rebuilt with m 32 and then vacuumed
        MaintenanceExecutor.Result rebuilt = executor.execute(new MaintenanceCommand("docs", 1, INDEX, "vec_docs_1",
                MaintenanceCommand.Action.REBUILD, "tier", 2000, 32, 128, System.currentTimeMillis()));
        MaintenanceExecutor.Result vacuumed = executor.execute(new MaintenanceCommand("docs", 1, INDEX, "vec_docs_1",
                MaintenanceCommand.Action.VACUUM, "dead tuples", 2000, 32, 0, System.currentTimeMillis()));
        // Then the index keeps its name, is valid, has the new parameters, and the catalog knows them
        assertThat(rebuilt.outcome()).isEqualTo(MaintenanceExecutor.Outcome.SUCCEEDED);
        assertThat(valid(INDEX)).isTrue();
        assertThat(invalidIndexes()).isZero();
        assertThat(text("SELECT array_to_string(i.reloptions, ',') FROM pg_class i JOIN pg_namespace n"
                + " ON n.oid = i.relnamespace WHERE n.nspname = '" + schema + "' AND i.relname = '" + INDEX + "'"))
                .isEqualTo("m=32,ef_construction=128");
        assertThat(store.collection("docs").orElseThrow().active().hnswM()).isEqualTo(32);
        assertThat(count0("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + schema + "' AND indexname LIKE '%hnsw%'"))
                .isEqualTo(1);
        // And the vacuum ran, after a concurrent reindex where pgvector < 0.8.4 needs one, and says so
        assertThat(vacuumed.outcome()).isEqualTo(MaintenanceExecutor.Outcome.SUCCEEDED);
        // (and the policy hears of each build, so it counts growth and churn from there)
        if (store.pgvectorVersion().hnswVacuumSafeBesideInserts()) {
            assertThat(vacuumed.detail()).doesNotContain("reindexed");
            assertThat(done).extracting(dev.embedstream.contracts.IndexEvent::action).containsExactly("REBUILD", "VACUUM");
        } else {
            assertThat(vacuumed.detail()).contains("reindexed concurrently before the vacuum (pgvector#993)");
            assertThat(done).extracting(dev.embedstream.contracts.IndexEvent::action)
                    .containsExactly("REBUILD", "REINDEX", "VACUUM");
        }
        assertThat(done.get(0).m()).isEqualTo(32);
    }

    @Test
    void shouldReindexToTheEndWhenSessionsHaveAStatementTimeout() throws Exception {
        // Given an index of 20,000 rows, and sessions that time statements out after 1 s (as a
        // role's or database's statement_timeout can), shorter than the index takes to build
        indexRows(20_000);
        org.postgresql.ds.PGSimpleDataSource timed = new org.postgresql.ds.PGSimpleDataSource();
        timed.setUrl(pg.jdbcUrl());
        timed.setUser(pg.user());
        timed.setPassword(pg.password());
        timed.setOptions("-c statement_timeout=1000");
        try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("SELECT pg_sleep(1.5)")).hasMessageContaining("statement timeout");
        }
        MaintenanceExecutor executor = new MaintenanceExecutor(timed, schema, MaintenanceConfig.defaults(), "test",
                e -> { }, Clock.systemUTC());

        // When the executor reindexes it
        long start = System.nanoTime();
        MaintenanceExecutor.Result result = executor.execute(new MaintenanceCommand("docs", 1, INDEX, "vec_docs_1",
                MaintenanceCommand.Action.REINDEX, "growth", 20000, 16, 64, System.currentTimeMillis()));
        double seconds = (System.nanoTime() - start) / 1e9;

        // Then the build ran to the end, for longer than the timeout, instead of being cancelled and retried
        assertThat(result.outcome()).as(result.detail()).isEqualTo(MaintenanceExecutor.Outcome.SUCCEEDED);
        assertThat(seconds).isGreaterThan(1.0);
        assertThat(valid(INDEX)).isTrue();
        assertThat(invalidIndexes()).isZero();
    }

    /**
     * Fills the collection's vector table with {@code rows} random rows and builds its index again
     * (loaded first: inserting into an HNSW index row by row is slow).
     */
    private void indexRows(int rows) throws SQLException {
        sql("DROP INDEX " + q(INDEX));
        sql("INSERT INTO " + q("vec_docs_1") + " (doc_id, chunk_index, chunk_text, embedding)"
                + " SELECT 'g' || i, 0, 't', ARRAY(SELECT random() - 0.5 FROM generate_series(1, 32) WHERE i > 0)::vector"
                + " FROM generate_series(1, " + rows + ") i");
        sql("CREATE INDEX " + INDEX + " ON " + q("vec_docs_1") + " USING hnsw (embedding vector_cosine_ops)"
                + " WITH (m = 16, ef_construction = 64)");
    }

    /** A concurrent build cancelled half-way: PostgreSQL keeps its index, invalid. */
    private void leaveInvalidIndex(String name) throws Exception {
        Thread build = new Thread(() -> {
            try {
                sql("CREATE INDEX CONCURRENTLY " + name + " ON " + q("vec_docs_1") + " USING hnsw (embedding vector_cosine_ops)");
            } catch (SQLException expected) {
                // cancelled
            }
        });
        build.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> buildPid() > 0);
        sql("SELECT pg_cancel_backend(" + buildPid() + ")");
        build.join(30_000);
    }

    private MaintenanceWorker worker(MaintenanceConfig config, String name) {
        return MaintenanceWorker.start(kafka, store.dataSource(), schema, config, name, Clock.systemUTC());
    }

    private void send(EmbeddedDocument d) {
        producer.send(new ProducerRecord<>(kafka.topic(Topics.EMBEDDINGS).name(), Json.write(d.key()), Json.write(d)));
    }

    private static EmbeddedDocument document(String id) {
        Random r = new Random(id.hashCode());
        float[] v = new float[MODEL.dimensions()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        String text = "text of " + id;
        return new EmbeddedDocument("docs", id, 1L, ContentHash.ofText(text + "!"), ContentHash.ofText(text), MODEL,
                Map.of(), List.of(new Chunk(0, text, v)), null, false, text);
    }

    private int buildPid() throws SQLException {
        return (int) count0("SELECT coalesce(max(p.pid), 0) FROM pg_stat_progress_create_index p"
                + " JOIN pg_class t ON t.oid = p.relid WHERE t.relname = 'vec_docs_1'");
    }

    private String history() {
        return q("maintenance_history");
    }

    private long count(String where) throws SQLException {
        return count0("SELECT count(*) FROM " + history() + " WHERE " + where);
    }

    private long rows(String table) throws SQLException {
        return count0("SELECT count(*) FROM " + q(table));
    }

    private boolean valid(String index) throws SQLException {
        return count0("SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                + " JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = '" + schema + "' AND i.relname = '"
                + index + "' AND x.indisvalid") == 1;
    }

    private long invalidIndexes() throws SQLException {
        return count0("SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                + " JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = '" + schema + "' AND NOT x.indisvalid");
    }

    private long count0(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private String text(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String q(String table) {
        return "\"" + schema + "\"." + table;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
