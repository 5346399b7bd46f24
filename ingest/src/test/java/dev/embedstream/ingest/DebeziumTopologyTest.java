package dev.embedstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebeziumTopologyTest {

    private static final String TOPIC = "dbserver1.public.articles";
    private static final String OTHER_TOPIC = "dbserver1.public.articles_2024";
    // A deployment with a topic prefix: the outputs must be the prefixed topics.
    private static final KafkaSettings KAFKA = new KafkaSettings("unused:9092", "embedstream", "acme.");
    private static final String ROW = "{\"id\":17,\"title\":\"Repotting orchids\",\"body\":\"Use bark.\",\"author\":\"ann\",\"views\":3}";
    private static final String KEY = "{\"id\":17}";

    private TopologyTestDriver driver;
    private DebeziumCounters counters;
    private TestInputTopic<String, String> changes;
    private TestInputTopic<String, String> otherChanges;
    private TestOutputTopic<DocumentKey, Document> documents;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    private void open(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                DebeziumSourceConfig.TOPICS, TOPIC + "," + OTHER_TOPIC,
                DebeziumSourceConfig.COLLECTION, "articles",
                DebeziumSourceConfig.KEY_COLUMNS, "id",
                DebeziumSourceConfig.TEXT_TEMPLATE, "{title}\\n\\n{body}",
                DebeziumSourceConfig.METADATA_COLUMNS, "author"));
        env.putAll(overrides);
        env.values().removeIf(String::isEmpty);
        DebeziumSourceConfig config = DebeziumSourceConfig.from(env::get);
        counters = new DebeziumCounters(config.collection());
        StreamsBuilder builder = DebeziumTopology.build(new StreamsBuilder(), config, KAFKA.topic(Topics.DOCUMENTS),
                KAFKA.topic(Topics.DEAD_LETTERS), counters);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "debezium-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        changes = driver.createInputTopic(TOPIC, new StringSerializer(), new StringSerializer());
        otherChanges = driver.createInputTopic(OTHER_TOPIC, new StringSerializer(), new StringSerializer());
        documents = driver.createOutputTopic("acme.embedstream.documents", Topics.DOCUMENTS.key().deserializer(),
                Topics.DOCUMENTS.value().deserializer());
        deadLetters = driver.createOutputTopic("acme.embedstream.dlq", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private void open() {
        open(Map.of());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldPublishADocumentForAnInsert() {
        // Given the source of table articles
        open();
        // When a row is inserted
        changes.pipeInput(KEY, event("c", null, ROW));
        // Then its document is on the (prefixed) documents topic, keyed by collection and id
        TestRecord<DocumentKey, Document> out = documents.readRecord();
        assertThat(out.key()).isEqualTo(new DocumentKey("articles", "17"));
        assertThat(out.value()).isEqualTo(new Document("articles", "17", "Repotting orchids\n\nUse bark.",
                Map.of("author", "ann"), null));
        assertThat(out.headers().toArray()).isEmpty();
        assertThat(counters.published()).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldPublishADocumentForASnapshotRead() {
        // Given the source
        open();
        // When the connector's initial snapshot reads a row
        changes.pipeInput(KEY, event("r", null, ROW));
        // Then it is published like an insert
        assertThat(documents.readValue().text()).isEqualTo("Repotting orchids\n\nUse bark.");
        assertThat(counters.published()).isEqualTo(1);
    }

    @Test
    void shouldPublishAnUpdateThatChangesTheText() {
        // Given the source
        open();
        // When the body column changes
        changes.pipeInput(KEY, event("u", ROW, ROW.replace("Use bark.", "Use bark, not soil.")));
        // Then the new text is published
        assertThat(documents.readValue().text()).isEqualTo("Repotting orchids\n\nUse bark, not soil.");
        assertThat(counters.published()).isEqualTo(1);
        assertThat(counters.skipped()).isZero();
    }

    @Test
    void shouldSkipUpdateThatLeavesTextUnchanged() {
        // Given the source, and a table logging the old row (REPLICA IDENTITY FULL)
        open();
        // When only a column that is neither text nor metadata changes
        changes.pipeInput(KEY, event("u", ROW, ROW.replace("\"views\":3", "\"views\":4")));
        // Then nothing is published, and the skip is counted
        assertThat(documents.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(counters.skipped()).isEqualTo(1);
        assertThat(counters.published()).isZero();
    }

    @Test
    void shouldPublishAnUpdateThatChangesOnlyAMetadataColumn() {
        // Given the source with metadata column author
        open();
        // When only the author changes
        changes.pipeInput(KEY, event("u", ROW, ROW.replace("\"ann\"", "\"bob\"")));
        // Then the document is published with the new metadata (the text alone must not hide it)
        assertThat(documents.readValue().metadata()).isEqualTo(Map.of("author", "bob"));
        assertThat(counters.skipped()).isZero();
    }

    @Test
    void shouldPublishAnUpdateWithoutTheOldRow() {
        // Given a table whose REPLICA IDENTITY is not FULL: updates come without "before"
        open();
        // When a row is updated, text unchanged or not
        changes.pipeInput(KEY, event("u", null, ROW));
        // Then it cannot tell, so it publishes
        assertThat(documents.readValue().id()).isEqualTo("17");
        assertThat(counters.published()).isEqualTo(1);
    }

    @Test
    void shouldSkipAnUpdateWhoseTextColumnsWereAllNotSentAsUnchangedToast() {
        // Given a table without REPLICA IDENTITY FULL whose text and metadata are TOASTed
        open();
        String toasted = "{\"id\":17,\"title\":\"__debezium_unavailable_value\",\"body\":\"__debezium_unavailable_value\","
                + "\"author\":\"__debezium_unavailable_value\",\"views\":4}";
        // When an update changes another column: Debezium sends the placeholder for every unchanged TOASTed value
        changes.pipeInput(KEY, event("u", null, toasted));
        // Then the placeholder is not embedded: all of the document is unchanged
        assertThat(documents.isEmpty()).isTrue();
        assertThat(counters.skipped()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAnUpdateWhosePartOfTheTextWasNotSent() {
        // Given a table without REPLICA IDENTITY FULL, whose body is TOASTed
        open();
        // When the title changes and the body comes as Debezium's placeholder
        changes.pipeInput(KEY, event("u", null, ROW.replace("Use bark.", "__debezium_unavailable_value")));
        // Then the text cannot be built: a dead letter that says how to fix the table
        assertDeadLetter(0, "column(s) body not sent", "REPLICA IDENTITY FULL");
    }

    @Test
    void shouldDeleteTheDocumentOnADelete() {
        // Given the source
        open();
        // When a row is deleted (the old row carries the key columns under any REPLICA IDENTITY)
        changes.pipeInput(KEY, event("d", "{\"id\":17,\"title\":null,\"body\":null,\"author\":null,\"views\":null}", null));
        // Then the document gets a tombstone
        assertTombstoneFor17();
        assertThat(counters.deleted()).isEqualTo(1);
    }

    @Test
    void shouldDeleteTheDocumentOnATombstone() {
        // Given the source
        open();
        // When Debezium's tombstone follows a delete (a null value; only the key names the row)
        changes.pipeInput(KEY, (String) null);
        // Then the document gets a tombstone
        assertTombstoneFor17();
        assertThat(counters.deleted()).isEqualTo(1);
    }

    @Test
    void shouldReadEventsWithSchemasAsWellAsWithout() {
        // Given the source
        open();
        // When the same insert comes from a JSON converter with schemas enabled, and then without
        changes.pipeInput(withSchema(KEY), withSchema(event("c", null, ROW)));
        changes.pipeInput(KEY, event("c", null, ROW));
        // Then both are the same document
        List<TestRecord<DocumentKey, Document>> out = documents.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).key()).isEqualTo(out.get(1).key());
        assertThat(out.get(0).value()).isEqualTo(out.get(1).value());
    }

    @Test
    void shouldDeleteOnATombstoneWhoseKeyHasASchema() {
        // Given the source
        open();
        // When a tombstone's key comes from a JSON converter with schemas enabled
        changes.pipeInput(withSchema(KEY), (String) null);
        // Then the document gets a tombstone
        assertTombstoneFor17();
    }

    @Test
    void shouldReadEveryConfiguredTopic() {
        // Given a source of two topics (say, two partitions of a partitioned table)
        open();
        // When each has an insert
        changes.pipeInput(KEY, event("c", null, ROW));
        otherChanges.pipeInput("{\"id\":18}", event("c", null, ROW.replace("17", "18")));
        // Then both are published
        assertThat(documents.readRecordsToList()).extracting(r -> r.key().id()).containsExactly("17", "18");
    }

    @Test
    void shouldJoinSeveralKeyColumnsIntoOneUnambiguousId() {
        // Given key columns id and lang
        open(Map.of(DebeziumSourceConfig.KEY_COLUMNS, "id,lang"));
        // When rows keyed (7, "en:gb") and (7, "en") are inserted
        changes.pipeInput("{\"id\":7,\"lang\":\"en:gb\"}", event("c", null, ROW.replace("\"id\":17", "\"id\":7,\"lang\":\"en:gb\"")));
        changes.pipeInput("{\"id\":7,\"lang\":\"en\"}", event("c", null, ROW.replace("\"id\":17", "\"id\":7,\"lang\":\"en\"")));
        // Then the ids are the key texts joined by ':', a ':' inside a value escaped
        assertThat(documents.readRecordsToList()).extracting(r -> r.key().id()).containsExactly("7:en\\:gb", "7:en");
    }

    @Test
    void shouldBuildTheTextFromTextColumnsJoinedByABlankLine() {
        // Given text columns instead of a template
        open(Map.of(DebeziumSourceConfig.TEXT_TEMPLATE, "", DebeziumSourceConfig.TEXT_COLUMNS, "title,body,author"));
        // When a row is inserted with a NULL author
        changes.pipeInput(KEY, event("c", null, ROW.replace("\"ann\"", "null")));
        // Then the text is as a table collection's --columns would make it (NULL is empty)
        Document doc = documents.readValue();
        assertThat(doc.text()).isEqualTo("Repotting orchids\n\nUse bark.\n\n");
        assertThat(doc.metadata()).containsEntry("author", null);
    }

    @Test
    void shouldDeadLetterAValueThatIsNotJson() {
        open();
        changes.pipeInput(KEY, "{\"op\": \"c\", oops");
        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        // The letter is the record as it arrived, so `dlq retry` can replay it to the Debezium topic
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(KEY);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"op\": \"c\", oops");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).startsWith("record value is not JSON");
    }

    @Test
    void shouldDeadLetterJsonThatIsNotAChangeEvent() {
        // Given the source; When the topic holds flattened rows (ExtractNewRecordState) and a JSON array
        open();
        changes.pipeInput(KEY, ROW);
        changes.pipeInput(KEY, "[1,2]");
        // Then both are dead letters naming the problem
        assertDeadLetter(0, "not a Debezium change event: no \"op\" field", "ExtractNewRecordState");
        assertDeadLetter(1, "not a Debezium change event: the value is JSON but not an object");
    }

    @Test
    void shouldDeadLetterAnEventWithoutItsRow() {
        open();
        changes.pipeInput(KEY, event("c", null, null));
        assertDeadLetter(0, "op 'c' event without a \"after\" row");
    }

    @Test
    void shouldDeadLetterARowWithoutTheKeyColumn() {
        // Given key column id; When a row has no such column, and another has it NULL
        open();
        changes.pipeInput(KEY, event("c", null, ROW.replace("\"id\":17", "\"uid\":17")));
        changes.pipeInput(KEY, event("c", null, ROW.replace("\"id\":17", "\"id\":null")));
        // Then both are dead letters naming the column
        assertDeadLetter(0, "the after row has no key column 'id'");
        assertDeadLetter(1, "key column 'id' of the after row is null");
    }

    @Test
    void shouldDeadLetterATombstoneWhoseKeyLacksTheKeyColumn() {
        open();
        changes.pipeInput("{\"uid\":17}", (String) null);
        changes.pipeInput((String) null, (String) null);
        assertDeadLetter(0, "the tombstone's key has no key column 'id'");
        assertDeadLetter(1, "tombstone without a key");
    }

    @Test
    void shouldDeadLetterARowWithoutATextColumn() {
        open();
        changes.pipeInput(KEY, event("c", null, ROW.replace("\"body\"", "\"content\"")));
        assertDeadLetter(0, "the after row has no column 'body'");
    }

    @Test
    void shouldDeadLetterAnUnknownOp() {
        // Given the source; When an unknown op and a TRUNCATE arrive
        open();
        changes.pipeInput(KEY, event("x", null, ROW));
        changes.pipeInput(KEY, event("t", null, null));
        // Then both are dead letters saying why
        assertDeadLetter(0, "unknown Debezium op 'x' (known: c, r, u, d)");
        assertDeadLetter(1, "op 't' (TRUNCATE) cannot be applied document by document");
    }

    @Test
    void shouldDeleteTheDocumentWhenAnUpdateLeavesItsTextBlank() {
        // Given the source
        open();
        // When an update empties the text columns (a blank title, a NULL body)
        String blank = ROW.replace("\"Repotting orchids\"", "\"  \"").replace("\"Use bark.\"", "null");
        changes.pipeInput(KEY, event("u", ROW, blank));
        // Then the document gets a tombstone, as a table backfill deletes a blank row's document: the old
        // text's embedding must not stay searchable
        assertTombstoneFor17();
        assertThat(counters.deleted()).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldPublishNoDocumentForAnInsertWithBlankText() {
        open();
        changes.pipeInput(KEY, event("c", null, ROW.replace("\"Repotting orchids\"", "\"\"").replace("\"Use bark.\"", "\"\\n\"")));
        // a delete of a document never stored is harmless; nothing is embedded
        assertThat(documents.readRecord().value()).isNull();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterARowThatCannotBeADocument() {
        // Given the source; When a text holds a NUL character (PostgreSQL text cannot store it)
        open();
        changes.pipeInput(KEY, event("c", null, ROW.replace("Use bark.", "Use\\u0000bark.")));
        // Then the document's own validation is the reason
        assertDeadLetter(0, "text contains a NUL character");
    }

    @Test
    void shouldKeepGoingAfterABadRecord() {
        // Given the source
        open();
        // When a bad record comes before a good one
        changes.pipeInput(KEY, "not json");
        changes.pipeInput(KEY, event("c", null, ROW));
        // Then the bad one is a dead letter and the good one a document
        assertThat(deadLetters.readRecordsToList()).hasSize(1);
        assertThat(documents.readValue().id()).isEqualTo("17");
        assertThat(counters.deadLettered()).isEqualTo(1);
        assertThat(counters.published()).isEqualTo(1);
    }

    @Test
    void shouldExposeTheCountersAsMeters() {
        // Given a source with one insert, one skip and one dead letter
        open();
        changes.pipeInput(KEY, event("c", null, ROW));
        changes.pipeInput(KEY, event("u", ROW, ROW));
        changes.pipeInput(KEY, "nope");
        // When bound to a registry
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        counters.bindTo(registry);
        // Then each outcome is a counter tagged with the collection
        assertThat(count(registry, "published")).isEqualTo(1);
        assertThat(count(registry, "skipped")).isEqualTo(1);
        assertThat(count(registry, "dead_lettered")).isEqualTo(1);
        assertThat(count(registry, "deleted")).isZero();
    }

    private static double count(SimpleMeterRegistry registry, String outcome) {
        return registry.get("embedstream.debezium.events").tag("collection", "articles").tag("outcome", outcome)
                .functionCounter().count();
    }

    /** The n-th input of the test's main topic is dead-lettered as it was, with the reason and where it came from. */
    private void assertDeadLetter(long offset, String... reasonParts) {
        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        Headers h = letter.headers();
        assertThat(DeadLetters.header(h, DeadLetters.REASON)).contains(reasonParts);
        assertThat(DeadLetters.header(h, DeadLetters.STAGE)).isEqualTo("debezium");
        assertThat(DeadLetters.header(h, DeadLetters.SOURCE_TOPIC)).isEqualTo(TOPIC);
        assertThat(DeadLetters.header(h, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(h, DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(offset));
        assertThat(documents.isEmpty()).isTrue();
        assertThat(counters.deadLettered()).isGreaterThanOrEqualTo(offset + 1);
    }

    /** The next record on the documents topic deletes document 17 of the collection. */
    private void assertTombstoneFor17() {
        TestRecord<DocumentKey, Document> out = documents.readRecord();
        assertThat(out.key()).isEqualTo(new DocumentKey("articles", "17"));
        assertThat(out.value()).isNull();
    }

    private static String event(String op, String before, String after) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"version\":\"2.7.0.Final\","
                + "\"connector\":\"postgresql\",\"name\":\"dbserver1\",\"ts_ms\":1700000000000,\"snapshot\":\""
                + ("r".equals(op) ? "true" : "false") + "\",\"db\":\"shop\",\"schema\":\"public\",\"table\":\"articles\","
                + "\"txId\":771,\"lsn\":24023128},\"op\":\"" + op + "\",\"ts_ms\":1700000000123,\"transaction\":null}";
    }

    private static String withSchema(String payload) {
        return "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"dbserver1.public.articles.Envelope\","
                + "\"fields\":[]},\"payload\":" + payload + "}";
    }
}
