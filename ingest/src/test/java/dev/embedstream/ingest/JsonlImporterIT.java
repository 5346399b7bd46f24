package dev.embedstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.contracts.Topics;
import dev.embedstream.ingest.ImportReport.LineError;
import dev.embedstream.testkit.TestInfra;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonlImporterIT {

    private KafkaSettings kafka;
    private DocumentPublisher publisher;
    private JsonlImporter importer;
    private final List<Long> progress = new ArrayList<>();

    @BeforeEach
    void start() {
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", TestInfra.uniqueTopic("ingest-it") + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        publisher = new DocumentPublisher(kafka);
        importer = new JsonlImporter(publisher);
    }

    @AfterEach
    void stop() {
        publisher.close();
    }

    @Test
    void shouldPublishEveryValidLineAndRejectEachBadOneWithItsLineNumberAndReason() {
        // Given a JSON Lines stream mixing valid documents with every kind of bad line
        byte[] input = lines(
                /* 1 */ "{\"collection\":\"books\",\"id\":\"a\",\"text\":\"Alpha\",\"version\":1}",
                /* 2 */ "{\"collection\":\"books\",\"id\":\"b\",\"text\":\"Beta\"",
                /* 3 */ "{\"collection\":\"books\",\"text\":\"a document without id\"}",
                /* 4 */ "{\"collection\":\"books\",\"id\":\"c\",\"text\":\"   \"}",
                /* 5 */ "",
                /* 6 */ "{\"collection\":\"books\\\"; DROP TABLE x; --\",\"id\":\"d\",\"text\":\"Delta\"}",
                /* 7 */ "{\"collection\":\"books\",\"id\":\"e\",\"text\":\"Echo\",\"metadata\":[1,2]}",
                /* 8 */ null, // invalid UTF-8, see below
                /* 9 */ "{\"id\":42,\"collection\":\"notes\",\"text\":\"Forty-two\",\"metadata\":{\"lang\":\"en\"},\"version\":7}",
                /* 10 */ " \t ",
                /* 11 */ "{\"collection\":\"books\",\"id\":\"g\",\"text\":\"Grüße, 世界\"}\r",
                /* 12 */ "{\"collection\":\"books\",\"id\":\"h\",\"text\":\"Hotel\",\"metadata\":{\"n\":1},\"version\":0}");

        // When it is published
        ImportReport report = importer.publish(new ByteArrayInputStream(input), null, progress::add);

        // Then every line is counted, blank lines are skipped without an error, the bad ones are rejected
        assertThat(report.lines()).isEqualTo(12);
        assertThat(report.published()).isEqualTo(4);
        assertThat(report.rejected()).isEqualTo(6);
        assertThat(report.errors()).extracting(LineError::line).containsExactly(2L, 3L, 4L, 6L, 7L, 8L);
        assertThat(reason(report, 2)).startsWith("malformed JSON");
        assertThat(reason(report, 3)).isEqualTo("missing document id");
        assertThat(reason(report, 4)).contains("'c'", "empty text");
        assertThat(reason(report, 6)).startsWith("invalid collection name").contains("DROP TABLE");
        assertThat(reason(report, 7)).isEqualTo("field 'metadata' must be a JSON object, got array");
        assertThat(reason(report, 8)).isEqualTo("document is not valid UTF-8");
        assertThat(progress).last().isEqualTo(12L);

        // And the documents topic holds exactly the valid documents, keyed by collection and id
        Map<JsonNode, Document> published = readDocumentsTopic();
        assertThat(published).containsOnly(
                Map.entry(key("books", "a"), new Document("books", "a", "Alpha", Map.of(), 1L)),
                Map.entry(key("notes", "42"), new Document("notes", "42", "Forty-two", Map.of("lang", "en"), 7L)),
                Map.entry(key("books", "g"), new Document("books", "g", "Grüße, 世界", Map.of(), null)),
                Map.entry(key("books", "h"), new Document("books", "h", "Hotel", Map.of("n", 1), 0L)));
    }

    @Test
    void shouldPutADocumentWithoutCollectionIntoTheDefaultCollection() {
        // Given a line without a collection field
        byte[] input = lines("{\"id\":\"n1\",\"text\":\"a note\"}");
        // When it is published with a default collection
        ImportReport report = importer.publish(new ByteArrayInputStream(input), "inbox", progress::add);
        // Then it lands in the default collection
        assertThat(report.published()).isEqualTo(1);
        assertThat(report.errors()).isEmpty();
        assertThat(readDocumentsTopic()).containsOnly(
                Map.entry(key("inbox", "n1"), new Document("inbox", "n1", "a note")));
    }

    @Test
    void shouldRejectADocumentWithoutCollectionWhenThereIsNoDefault() {
        // Given a line without a collection field, and one with
        byte[] input = lines("{\"id\":\"n1\",\"text\":\"a note\"}", "{\"collection\":\"inbox\",\"id\":\"n2\",\"text\":\"b\"}");
        // When it is published without a default collection
        ImportReport report = importer.publish(new ByteArrayInputStream(input), null, progress::add);
        // Then the first is rejected with a reason saying so, and only the second is published
        assertThat(report.lines()).isEqualTo(2);
        assertThat(report.published()).isEqualTo(1);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo("missing collection (no 'collection' field and no default)");
        });
        assertThat(readDocumentsTopic().keySet()).containsExactly(key("inbox", "n2"));
    }

    /** The lines joined by '\n' with a final newline; a null line is a line of invalid UTF-8 bytes. */
    private static byte[] lines(String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            if (line == null) {
                out.writeBytes("{\"collection\":\"books\",\"id\":\"f\",\"text\":\"".getBytes(StandardCharsets.UTF_8));
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
                out.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static String reason(ImportReport report, long line) {
        return report.errors().stream().filter(e -> e.line() == line).findFirst().orElseThrow().reason();
    }

    private static JsonNode key(String collection, String id) {
        return Json.MAPPER.createObjectNode().put("collection", collection).put("id", id);
    }

    /** Every record of the documents topic, from the beginning to the end offsets, by key. */
    private Map<JsonNode, Document> readDocumentsTopic() {
        String topic = kafka.topic(Topics.DOCUMENTS).name();
        Properties props = new Properties();
        props.putAll(kafka.clientProperties("it-reader"));
        props.put("enable.auto.commit", "false");
        Map<JsonNode, Document> documents = new LinkedHashMap<>();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("documents topic read within 30 s").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode key = Json.read(r.key(), JsonNode.class);
            assertThat(documents).as("one record per document").doesNotContainKey(key);
            documents.put(key, Json.read(r.value(), Document.class));
        }
        return documents;
    }
}
