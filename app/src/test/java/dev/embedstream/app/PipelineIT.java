package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole pipeline on a real broker, a real PostgreSQL and the real local model. */
class PipelineIT {

    private static final int N = 120;

    private PostgresEndpoint pg;
    private String schema;
    private KafkaSettings kafka;
    private AppConfig config;
    private Pipeline pipeline;

    @BeforeEach
    void start() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("pit");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "it-" + run + ".");
        WriterConfig writer = ItConfigs.writer(pg, schema, "writer-" + run);
        EmbedderConfig embedder = EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(
                EmbedderConfig.GROUP_ID, "embedder-" + run)));
        config = new AppConfig(Optional.of(kafka), embedder, writer);
        pipeline = Pipeline.start(config);
    }

    @AfterEach
    void stop() throws SQLException {
        pipeline.close();
        pg.dropSchema(schema);
    }

    @Test
    void shouldEmbedEveryDocumentOnceAndKeepTheNewestVersion() throws Exception {
        // Given N documents published and embedded
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            for (int i = 0; i < N; i++) {
                publisher.publish(doc(i, 1L, "Original note number " + i + " about " + topic(i)));
            }
            publisher.flush();
            awaitDrained();
            assertThat(count("docs_notes_1")).isEqualTo(N);

            // When all are re-published, 12 are updated to version 2, and 6 others get an older version 0
            for (int i = 0; i < N; i++) {
                publisher.publish(doc(i, 1L, "Original note number " + i + " about " + topic(i)));
            }
            for (int i = 0; i < 12; i++) {
                publisher.publish(doc(i, 2L, "Updated note " + i + ": the meeting moved to Thursday"));
            }
            for (int i = 50; i < 56; i++) {
                publisher.publish(doc(i, 0L, "Stale note " + i + " that must never win"));
            }
            publisher.flush();
        }
        awaitDrained();

        // Then there is exactly one row per document, no duplicates and no orphan chunks
        assertThat(count("docs_notes_1")).isEqualTo(N);
        assertThat(count("vec_notes_1")).isEqualTo(N);
        assertThat(query("SELECT count(DISTINCT doc_id) FROM \"" + schema + "\".vec_notes_1")).isEqualTo(String.valueOf(N));
        // And the updated ones carry their new text and version, the stale ones kept version 1
        assertThat(query("SELECT version || '|' || v.chunk_text FROM \"" + schema + "\".docs_notes_1 d JOIN \""
                + schema + "\".vec_notes_1 v USING (doc_id) WHERE doc_id = 'n-3'"))
                .isEqualTo("2|Updated note 3: the meeting moved to Thursday");
        assertThat(query("SELECT string_agg(DISTINCT version::text, ',') FROM \"" + schema
                + "\".docs_notes_1 WHERE doc_id IN ('n-50','n-51','n-52','n-53','n-54','n-55')")).isEqualTo("1");
        assertThat(query("SELECT count(*) FROM \"" + schema + "\".vec_notes_1 WHERE chunk_text LIKE 'Stale%'")).isEqualTo("0");
        // And every stored vector is what the model produces for that text
        assertVectorsMatchTheModel(List.of("n-3", "n-40", "n-51", "n-119"));
    }

    @Test
    void shouldNotPayTwiceForDocumentsAlreadyStored() throws Exception {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            // Given 50 versioned documents embedded and stored
            for (int i = 0; i < 50; i++) {
                publisher.publish(doc(i, 1L, "Stable note " + i));
            }
            publisher.flush();
            awaitDrained();
            long embeddedBefore = pipeline.embedder().stats().embedded();
            // When the same documents are published again (a replay)
            for (int i = 0; i < 50; i++) {
                publisher.publish(doc(i, 1L, "Stable note " + i));
            }
            publisher.flush();
            awaitDrained();
            // Then none is embedded again: all 50 are counted as skipped
            assertThat(pipeline.embedder().stats().skipped()).isEqualTo(50);
            assertThat(pipeline.embedder().stats().embedded()).isEqualTo(embeddedBefore);
            // And a real change is still embedded
            publisher.publish(doc(7, 2L, "Changed note 7"));
            publisher.flush();
            awaitDrained();
            assertThat(pipeline.embedder().stats().embedded()).isEqualTo(embeddedBefore + 1);
        }
        assertThat(query("SELECT version || '|' || v.chunk_text FROM \"" + schema + "\".docs_notes_1 d JOIN \""
                + schema + "\".vec_notes_1 v USING (doc_id) WHERE doc_id = 'n-7'")).isEqualTo("2|Changed note 7");
        assertThat(count("docs_notes_1")).isEqualTo(50);
    }

    @Test
    void shouldNotPayTwiceForUnversionedDocumentsEither() throws Exception {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            // Given 20 documents without versions, embedded and stored
            for (int i = 0; i < 20; i++) {
                publisher.publish(new Document("notes", "u-" + i, "Unversioned note " + i));
            }
            publisher.flush();
            awaitDrained();
            long embeddedBefore = pipeline.embedder().stats().embedded();
            // When they are published again, unchanged
            for (int i = 0; i < 20; i++) {
                publisher.publish(new Document("notes", "u-" + i, "Unversioned note " + i));
            }
            publisher.flush();
            awaitDrained();
            // Then none is paid for again
            assertThat(pipeline.embedder().stats().embedded()).isEqualTo(embeddedBefore);
            assertThat(pipeline.embedder().stats().skipped()).isEqualTo(20);
            // And a delete followed by the same content re-creates the document
            publisher.delete("notes", "u-3");
            publisher.publish(new Document("notes", "u-3", "Unversioned note 3"));
            publisher.flush();
        }
        awaitDrained();
        assertThat(count("docs_notes_1")).isEqualTo(20);
    }

    @Test
    void shouldDeadLetterBadRecordsAndStillEmbedTheGoodOnes() throws Exception {
        // Given raw records of every bad kind between good documents
        String topic = kafka.topic(Topics.DOCUMENTS).name();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(raw(topic, "{\"collection\":\"notes\",\"id\":\"bad-json\"}", "{\"id\":\"bad-json\",\"text\":"));
        records.add(raw(topic, "{\"collection\":\"notes\",\"id\":\"x\"}", "{\"text\":\"no id here\"}"));
        records.add(raw(topic, "{\"collection\":\"notes\",\"id\":\"empty\"}", "{\"id\":\"empty\",\"text\":\"\"}"));
        records.add(raw(topic, "{\"collection\":\"x'); DROP TABLE users;--\",\"id\":\"evil\"}",
                "{\"collection\":\"x'); DROP TABLE users;--\",\"id\":\"evil\",\"text\":\"hi\"}"));
        records.add(raw(topic, "{\"collection\":\"notes\",\"id\":\"good-1\"}", "{\"id\":\"good-1\",\"text\":\"A fine day for a walk\"}"));
        records.add(raw(topic, "{\"collection\":\"notes\",\"id\":\"good-2\"}", "{\"id\":\"good-2\",\"text\":\"Bake bread at 220 C\"}"));
        // When they are published
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (var r : records) {
                producer.send(r).get();
            }
        }
        awaitDrained();
        // Then the good ones are embedded
        assertThat(count("docs_notes_1")).isEqualTo(2);
        // And each bad one is in the dead-letter topic with a reason that names the problem
        Map<String, String> reasons = deadLetterReasons(4);
        assertThat(reasons.values()).anyMatch(r -> r.startsWith("malformed JSON"));
        assertThat(reasons.values()).anyMatch(r -> r.contains("missing document id"));
        assertThat(reasons.values()).anyMatch(r -> r.contains("empty text"));
        assertThat(reasons.values()).anyMatch(r -> r.contains("invalid collection name") && r.contains("DROP TABLE"));
        // And nothing was executed from the hostile name
        assertThat(query("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = '"
                + schema + "'")).isEqualTo("collections,dead_letters,docs_notes_1,generations,maintenance_history,vec_notes_1");
        // And the coverage report counts the dead letters of the collection they name, as missing
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var coverage = pipeline.store().coverage("notes").get(0);
            assertThat(coverage.current()).isEqualTo(2);
            assertThat(coverage.deadLettered()).isEqualTo(3);
            assertThat(coverage.missing()).isEqualTo(3);
            assertThat(coverage.total()).isEqualTo(5);
        });
    }

    @Test
    void shouldStoreATextLongerThanTheWindowAsChunksEachEmbeddedWhole() throws Exception {
        // Given a text of about three windows of the local model
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 4_000; i++) {
            text.append("Paragraph ").append(i).append(" explains how ").append(topic(i))
                    .append(" works in practice, with the steps people usually forget and why they matter. ");
        }
        String longText = text.toString();
        int window = pipeline.provider().model().maxTokens();
        assertThat(pipeline.provider().countTokens(longText)).isGreaterThan(2 * window);
        List<String> expected = pipeline.provider().chunk(longText, config.embedder().chunkOverlapTokens());

        // When it goes through the pipeline
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            publisher.publish(new Document("notes", "long", longText, Map.of(), 1L)).get();
        }
        awaitDrained();

        // Then it is stored as those chunks, in order, none cut, each vector the model's for that chunk alone
        List<String> stored = new ArrayList<>();
        try (var c = pg.connect();
             var rs = c.createStatement().executeQuery("SELECT chunk_text FROM \"" + schema
                     + "\".vec_notes_1 WHERE doc_id = 'long' ORDER BY chunk_index")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
        assertThat(stored).containsExactlyElementsOf(expected);
        stored.forEach(chunk -> assertThat(pipeline.provider().countTokens(chunk)).isLessThanOrEqualTo(window));
        assertThat(String.join(" ", stored)).contains("Paragraph 0 explains").endsWith(longText.strip().substring(
                longText.strip().length() - 40));
        for (int chunk = 0; chunk < stored.size(); chunk++) {
            float[] vector = parseVector(query("SELECT embedding::text FROM \"" + schema
                    + "\".vec_notes_1 WHERE doc_id = 'long' AND chunk_index = " + chunk));
            float[] alone = pipeline.provider().embed(List.of(stored.get(chunk))).get(0);
            assertThat(cosine(vector, alone)).as("chunk %d", chunk).isGreaterThan(0.9999);
        }
    }

    private void awaitDrained() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                pipeline.requireHealthy();
                assertThat(ConsumerLag.of(admin, config.embedder().groupId(), kafka.topic(Topics.DOCUMENTS).name())).isZero();
                assertThat(ConsumerLag.of(admin, config.writer().groupId(), kafka.topic(Topics.EMBEDDINGS).name())).isZero();
            });
        }
    }

    private void assertVectorsMatchTheModel(List<String> ids) throws SQLException {
        for (String id : ids) {
            String text = query("SELECT chunk_text FROM \"" + schema + "\".vec_notes_1 WHERE doc_id = '" + id + "'");
            float[] stored = parseVector(query("SELECT embedding::text FROM \"" + schema + "\".vec_notes_1 WHERE doc_id = '"
                    + id + "'"));
            float[] expected = pipeline.provider().embed(List.of(text)).get(0);
            assertThat(cosine(stored, expected)).as("cosine of %s", id).isGreaterThan(0.9999);
        }
    }

    private Map<String, String> deadLetterReasons(int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "dlq-reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        Map<String, String> reasons = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(kafka.topic(Topics.DEAD_LETTERS).name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    reasons.put(r.partition() + "@" + r.offset(), DeadLetters.header(r.headers(), DeadLetters.REASON));
                }
                return reasons.size() >= expected;
            });
        }
        assertThat(reasons).hasSize(expected);
        return reasons;
    }

    private static ProducerRecord<byte[], byte[]> raw(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static Document doc(int i, long version, String text) {
        return new Document("notes", "n-" + i, text, Map.of("i", i), version);
    }

    private static String topic(int i) {
        String[] topics = {"gardening", "tax returns", "bicycle repair", "sourdough", "astronomy"};
        return topics[i % topics.length];
    }

    private long count(String table) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM \"" + schema + "\"." + table));
    }

    private String query(String sql) throws SQLException {
        try (Connection c = pg.connect(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static float[] parseVector(String text) {
        String[] parts = text.substring(1, text.length() - 1).split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
