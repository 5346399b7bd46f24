package dev.embedstream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.simulator.EmbeddingSimulator;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage on the documents topic, as any producer can write it, mixed into 2,000 good documents:
 * every bad record ends once in the dead-letter topic with a reason that says what is wrong, every
 * good document (SQL and JSON metacharacters included) once in the table at its newest version, and
 * deletes, duplicates and versions arriving out of order are applied as their versions say. Then
 * the config side: identifiers with SQL metacharacters and a changed dimension are refused before
 * anything is written.
 */
class BadInputIT {

    private static final String KEY = "sk-bad-input-" + UUID.randomUUID();
    private static final int GOOD = 2_000;

    private PostgresEndpoint admin;
    private SecretRole role;
    private String schema;
    private KafkaSettings kafka;
    private EmbeddingSimulator simulator;
    private WorkerProcesses workers;
    private Ledger ledger;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeEach
    void start() throws Exception {
        admin = TestInfra.postgres();
        role = new SecretRole(admin);
        schema = TestInfra.uniqueSchema("badin");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "badin-" + run, "badin-" + run + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey(KEY).withRpm(100_000).withTpm(50_000_000));
        workers = new WorkerProcesses();
        workers.env.putAll(FaultEnv.of(kafka, role.endpoint(), schema, run, simulator.baseUrl(), KEY));
        workers.env.put(EmbedderConfig.CREATE_COLLECTIONS, "false");
        ledger = new Ledger(role.endpoint(), schema, 64, kafka);
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("max.request.size", 2 * 1024 * 1024);
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws SQLException {
        workers.close();
        producer.close();
        ledger.close();
        simulator.close();
        admin.dropSchema(schema);
        role.close();
    }

    @Test
    void shouldDeadLetterEveryBadRecordOnceAndStoreEveryGoodDocumentOnce() throws Exception {
        // Given a collection created beforehand, and a pipeline that creates no collection by itself
        WorkerProcesses.Exit created = workers.runToExit(Map.of(), "collection", "create", "inputs");
        assertThat(created.code()).as(created.output()).isZero();
        workers.spawn("embedder,writer");

        // When good documents, their duplicates, deletes and late old versions are published with
        // every kind of bad record in between
        for (int i = 0; i < GOOD; i++) {
            good(i, 1, "Notice " + i + ": the council's meeting on " + (i % 28 + 1) + " March; bring \"papers\".");
            if (i % 40 == 0) {
                badRecords(i);
            }
        }
        for (int i = 0; i < 100; i++) {
            // the same version again: stored once
            good(i, 1, "Notice " + i + ": the council's meeting on " + (i % 28 + 1) + " March; bring \"papers\".");
        }
        for (int i = 100; i < 200; i++) {
            // version 3, then the late versions 2 and 1: version 3 stays
            good(i, 3, "Notice " + i + " moved: '); DROP TABLE inputs; -- and $$ and \\N stay text");
            good(i, 2, "Notice " + i + " (second draft)");
            good(i, 1, "Notice " + i + " (first draft)");
        }
        for (int i = 200; i < 250; i++) {
            send(key("inputs", "n-" + i), null);
            ledger.deleted("inputs", "n-" + i);
        }
        for (int i = 0; i < 20; i++) {
            send(key("inputs", "never-published-" + i), null); // tombstones for unknown ids: nothing to do
            send(key("nosuch", "never-published-" + i), null);
        }
        producer.flush();

        // Then every record is where it belongs, exactly once
        Ledger.Tally tally = ledger.settle(workers::requireAlive, "bad input");
        assertThat(tally.problems).isEmpty();
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.embedded).isEqualTo(GOOD - 50);
        assertThat(tally.deadLettered).isEqualTo(16L * (GOOD / 40));
        // And the SQL metacharacters were stored as text, in a collection that is the only one
        assertThat(text("n-150")).isEqualTo("Notice 150 moved: '); DROP TABLE inputs; -- and $$ and \\N stay text");
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".collections")).isEqualTo(1);
        // And no secret is in any output or dead letter
        assertThat(workers.allOutput() + ledger.deadLetterText()).doesNotContain(KEY).doesNotContain(role.password());
    }

    @Test
    void shouldRefuseSqlMetacharactersInConfiguredIdentifiersBeforeTouchingTheDatabase() throws Exception {
        // Given documents waiting on the topic
        WorkerProcesses.Exit created = workers.runToExit(Map.of(), "collection", "create", "inputs");
        assertThat(created.code()).as(created.output()).isZero();
        for (int i = 0; i < 300; i++) {
            good(i, 1, "Notice " + i);
        }
        producer.flush();

        // When identifiers in the config carry SQL metacharacters
        String injected = "es\"; DROP SCHEMA public CASCADE; --";
        WorkerProcesses.Exit schemaRun = workers.runToExit(Map.of(WriterConfig.SCHEMA, injected), "run", "--workers", "embedder,writer");
        WorkerProcesses.Exit tableCreate = workers.runToExit(Map.of(), "collection", "create", "other",
                "--table", "public.t\"; DROP TABLE x; --", "--key", "id", "--columns", "body");
        WorkerProcesses.Exit keyCreate = workers.runToExit(Map.of(), "collection", "create", "other",
                "--table", "public.t", "--key", "id) OR (1=1", "--columns", "body");
        WorkerProcesses.Exit prefixRun = workers.runToExit(Map.of(KafkaSettings.TOPIC_PREFIX, "a';b"), "run");

        // Then each is refused (exit 2) with a message naming what is wrong, and nothing was created
        assertThat(schemaRun.code()).as(schemaRun.output()).isEqualTo(2);
        assertThat(schemaRun.output()).contains(WriterConfig.SCHEMA);
        assertThat(tableCreate.code()).as(tableCreate.output()).isEqualTo(2);
        assertThat(tableCreate.output()).contains("unsafe SQL identifier");
        assertThat(keyCreate.code()).as(keyCreate.output()).isEqualTo(2);
        assertThat(keyCreate.output()).contains("unsafe SQL identifier");
        assertThat(prefixRun.code()).as(prefixRun.output()).isEqualTo(2);
        assertThat(prefixRun.output()).contains(KafkaSettings.TOPIC_PREFIX);
        assertThat(count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%DROP%' OR nspname = 'public'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".collections")).isEqualTo(1);
        // And the well-configured pipeline then embeds every document: the refusals cost nothing
        workers.spawn("embedder,writer");
        Ledger.Tally tally = ledger.settle(workers::requireAlive, "SQL metacharacters in config");
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.embedded).isEqualTo(300);
    }

    @Test
    void shouldRefuseARestartWhoseConfigWouldChangeTheDimensions() throws Exception {
        // Given a collection embedded at 64 dimensions
        WorkerProcesses.Exit created = workers.runToExit(Map.of(), "collection", "create", "inputs");
        assertThat(created.code()).as(created.output()).isZero();
        workers.spawn("embedder,writer");
        for (int i = 0; i < 300; i++) {
            good(i, 1, "Notice " + i);
        }
        producer.flush();
        assertThat(ledger.settle(workers::requireAlive, "before the config change").embedded).isEqualTo(300);
        workers.kill("embedder,writer");

        // When more documents arrive and the pipeline restarts configured for 32 dimensions
        for (int i = 300; i < 500; i++) {
            good(i, 1, "Notice " + i);
        }
        producer.flush();
        WorkerProcesses.Exit restart = workers.runToExit(Map.of(OpenAiConfig.DIMENSIONS, "32"), "run", "--workers", "embedder,writer");

        // Then it refuses to start, saying how to keep or move the collection, and wrote nothing
        assertThat(restart.code()).as(restart.output()).isEqualTo(2);
        assertThat(restart.output()).contains(OpenAiConfig.DIMENSIONS).contains("/64").contains("/32")
                .contains("embedstream reembed inputs");
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".docs_inputs_1")).isEqualTo(300);
        assertThat(count("SELECT count(*) FROM \"" + schema + "\".generations")).isEqualTo(1);
        // And restarted with its old config, it embeds what waited: nothing lost
        workers.spawn("embedder,writer");
        Ledger.Tally tally = ledger.settle(workers::requireAlive, "restart refused for 64 -> 32 dimensions");
        assertThat(tally.lost).isZero();
        assertThat(tally.duplicated).isZero();
        assertThat(tally.wrongDimensions).isZero();
        assertThat(tally.embedded).isEqualTo(500);
    }

    private void good(int i, long version, String text) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("n", i);
        metadata.put("quote", "O'Brien \"the\" ; DELETE FROM x; -- \u00e9\u00e8 \ud83d\ude00");
        Document doc = new Document("inputs", "n-" + i, text, metadata, version);
        send(key("inputs", doc.id()), Json.write(doc));
        ledger.published(doc);
    }

    /** One of each kind of bad record; 16 in all. */
    private void badRecords(int n) {
        String id = "bad-" + n;
        bad(key("inputs", id), utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "\",\"text\":\"cut off"),
                "malformed JSON", "malformed JSON");
        bad(key("inputs", id + "a"), utf8("[\"an\",\"array\"]"), "not an object", "must be a JSON object");
        bad(key("inputs", id + "b"), utf8("{\"collection\":\"inputs\",\"text\":\"no id\"}"), "missing id", "missing document id");
        String longId = "x".repeat(600);
        bad(utf8("{\"collection\":\"inputs\",\"id\":\"" + longId + "\"}"), utf8("{\"collection\":\"inputs\",\"id\":\""
                + longId + "\",\"text\":\"t\"}"), "oversized id", "longer than 512 bytes");
        bad(key("inputs", id + "c"), doc(id + "c", "\"\""), "empty text", "empty text");
        bad(key("inputs", id + "d"), doc(id + "d", "\"" + "word ".repeat(200_000) + "\""), "1 MB text", "more than the limit");
        byte[] invalid = utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "e\",\"text\":\"caf\u00e9\"}");
        invalid[invalid.length - 4] = (byte) 0xC3; // a lone lead byte: not UTF-8
        invalid[invalid.length - 3] = (byte) 0x28;
        bad(key("inputs", id + "e"), invalid, "invalid UTF-8", "not valid UTF-8");
        bad(key("nosuch", id), utf8("{\"collection\":\"nosuch\",\"id\":\"" + id + "\",\"text\":\"t\"}"), "unknown collection",
                "unknown collection 'nosuch'");
        bad(utf8("{\"collection\":\"x'); DROP TABLE y;--\",\"id\":\"1\"}"),
                utf8("{\"collection\":\"x'); DROP TABLE y;--\",\"id\":\"1\",\"text\":\"t\"}"), "SQL in a collection name",
                "invalid collection name");
        bad(key("inputs", id + "f"), utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "f\",\"text\":\"t\",\"metadata\":[1,2]}"),
                "metadata not an object", "'metadata' must be a JSON object");
        // (a record without a key never gets here: the compacted topic refuses it to its producer)
        bad(key("inputs", id + "g"), utf8("{\"collection\":\"inputs\",\"id\":{\"nested\":1},\"text\":\"t\"}"),
                "id not a string", "must be a string or an integer");
        bad(key("inputs", id + "h"), doc(id + "other", "\"t\""), "key and value disagree", "does not match");
        bad(key("inputs", id + "i"), doc(id + "i", "\"nul \\u0000 inside\""), "NUL in text", "NUL character");
        bad(utf8("not json"), doc(id + "j", "\"t\""), "malformed key", "record key is not a valid");
        bad(key("inputs", id + "k"), utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "k\",\"text\":\"t\",\"version\":-3}"),
                "negative version", "negative version");
        bad(key("inputs", id + "l"), utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "l\",\"text\":\"t\",\"version\":\"new\"}"),
                "version not a number", "must be a whole number");
    }

    private static byte[] doc(String id, String textJson) {
        return utf8("{\"collection\":\"inputs\",\"id\":\"" + id + "\",\"text\":" + textJson + "}");
    }

    private void bad(byte[] key, byte[] value, String what, String reason) {
        ledger.bad(send(key, value), what, reason);
    }

    private RecordMetadata send(byte[] key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(kafka.topic(Topics.DOCUMENTS).name(), key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("publishing failed", e);
        }
    }

    private static byte[] key(String collection, String id) {
        return utf8(Json.writeString(Map.of("collection", collection, "id", id)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(String id) throws SQLException {
        try (Connection c = admin.connect(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT text FROM \"" + schema + "\".docs_inputs_1 WHERE doc_id = '" + id + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = admin.connect(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
