package dev.embedstream.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.client.ClientDocument;
import dev.embedstream.client.PublishAck;
import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaEmbedstreamClientTest {

    private static final String TOPIC = "staging.embedstream.documents";

    private final CountingMockProducer producer = new CountingMockProducer();
    private final KafkaEmbedstreamClient client = new KafkaEmbedstreamClient(producer, TOPIC, Duration.ofSeconds(5));

    @Test
    void shouldCompleteTheFutureOnlyWhenKafkaAcknowledged() {
        // Given a document sent but not yet acknowledged
        CompletableFuture<PublishAck> ack = client.publish("articles", ClientDocument.of("a-17", "Repotting orchids"));
        assertThat(ack).isNotDone();
        // When Kafka acknowledges it
        producer.completeNext();
        // Then the future holds where it was stored
        assertThat(ack).isCompletedWithValue(new PublishAck("articles", "a-17", false, TOPIC, 0, 0));
    }

    @Test
    void shouldWriteExactlyWhatThePipelineReads() {
        // Given a document with metadata and a version
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("author", "Ann");
        metadata.put("tags", java.util.List.of("garden", "orchids"));
        metadata.put("draft", null);
        client.publish("articles", ClientDocument.of("a-17", "Repotting \"orchids\" \u00e9t\u00e9")
                .withMetadata(metadata).withVersion(3));
        // When the record reaches the topic
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        // Then key and value are the bytes the documents topic's serdes write, with no headers
        Document expected = new Document("articles", "a-17", "Repotting \"orchids\" \u00e9t\u00e9", metadata, 3L);
        assertThat(record.topic()).isEqualTo(TOPIC);
        assertThat(record.partition()).isNull();
        assertThat(record.headers().toArray()).isEmpty();
        assertThat(record.key()).isEqualTo(Topics.DOCUMENTS.key().serializer().serialize(TOPIC, expected.key()));
        assertThat(record.value()).isEqualTo(Topics.DOCUMENTS.value().serializer().serialize(TOPIC, expected));
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("{\"collection\":\"articles\",\"id\":\"a-17\"}");
        // and the embedder's parser reads them back as the same document
        DocumentKey key = Topics.DOCUMENTS.key().deserializer().deserialize(TOPIC, record.key());
        assertThat(DocumentCodec.parse(record.value(), key, null)).isEqualTo(expected);
    }

    @Test
    void shouldPublishAContractDocumentAsItIs() {
        // Given a document built with the contract type
        Document doc = new Document("books", "b1", "Dune");
        // When published
        CompletableFuture<PublishAck> ack = client.publish(doc);
        producer.completeNext();
        // Then its serialized form is sent
        assertThat(producer.history().get(0).value()).isEqualTo(Topics.DOCUMENTS.value().serializer().serialize(TOPIC, doc));
        assertThat(ack.join().delete()).isFalse();
    }

    @Test
    void shouldRejectBadCollectionName() {
        // When a document is published to a collection name that would be unsafe in SQL
        CompletableFuture<PublishAck> ack = client.publish("Articles; DROP TABLE x", ClientDocument.of("a", "t"));
        // Then the future fails with the pipeline's own message, and nothing is sent
        assertThat(failureOf(ack)).isInstanceOf(InvalidInputException.class)
                .hasMessage(messageOf(() -> CollectionName.requireValid("Articles; DROP TABLE x")));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRejectMissingId() {
        assertThat(failureOf(client.publish("articles", ClientDocument.of(null, "t"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("missing document id");
        assertThat(failureOf(client.publish("articles", ClientDocument.of(" ", "t"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("missing document id");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRejectEmptyText() {
        assertThat(failureOf(client.publish("articles", ClientDocument.of("a", " \n"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("document 'a' has empty text");
        assertThat(failureOf(client.publish("articles", ClientDocument.of("a", null))))
                .isInstanceOf(InvalidInputException.class).hasMessage("document 'a' has empty text");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRejectTextOverTheLimit() {
        // Given a text one byte over the limit
        String text = "x".repeat(Document.MAX_TEXT_BYTES + 1);
        // Then the future fails with the limit, and nothing is sent
        assertThat(failureOf(client.publish("articles", ClientDocument.of("big", text))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("document 'big' text is 524289 bytes, more than the limit of 524288");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRejectARecordLargerThanTheTopicAccepts() {
        // Given a text within its limit but metadata that makes the record too large for the topic
        ClientDocument doc = ClientDocument.of("meta", "short").withMetadata(Map.of("blob", "y".repeat(3 * 1024 * 1024)));
        // Then the future fails with the reason before anything reaches Kafka
        assertThat(failureOf(client.publish("articles", doc)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("document 'meta' is ")
                .hasMessageEndingWith("bytes as a Kafka record, more than the documents topic's limit of "
                        + KafkaEmbedstreamClient.MAX_RECORD_BYTES);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRejectAMissingDocument() {
        assertThat(failureOf(client.publish("articles", (ClientDocument) null)))
                .isInstanceOf(InvalidInputException.class).hasMessage("missing document");
        assertThat(failureOf(client.publish(null))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void shouldFailTheFutureWhenKafkaRefusesTheRecord() {
        // Given a document in flight
        CompletableFuture<PublishAck> ack = client.publish("articles", ClientDocument.of("a", "t"));
        // When Kafka gives up on it
        producer.errorNext(new TimeoutException("Expiring 1 record(s) after 120000 ms"));
        // Then its future says so
        assertThat(failureOf(ack)).isInstanceOf(TimeoutException.class).hasMessageContaining("Expiring");
    }

    @Test
    void shouldFailTheFutureWhenSendThrows() {
        // Given a producer that throws in the caller's thread (e.g. no metadata within max.block.ms)
        producer.sendException = new KafkaException("no metadata");
        // When a document is published
        CompletableFuture<PublishAck> ack = client.publish("articles", ClientDocument.of("a", "t"));
        // Then nothing is thrown and the future carries the error
        assertThat(failureOf(ack)).isInstanceOf(KafkaException.class).hasMessage("no metadata");
    }

    @Test
    void shouldPublishATombstoneForDelete() {
        // When a document is deleted
        CompletableFuture<PublishAck> ack = client.delete("articles", "a-17");
        producer.completeNext();
        // Then a record with the document's key and no value is sent
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        assertThat(record.key()).isEqualTo(Topics.DOCUMENTS.key().serializer()
                .serialize(TOPIC, new DocumentKey("articles", "a-17")));
        assertThat(record.value()).isNull();
        assertThat(ack.join()).isEqualTo(new PublishAck("articles", "a-17", true, TOPIC, 0, 0));
    }

    @Test
    void shouldRejectADeleteWithABadKey() {
        assertThat(failureOf(client.delete("1st", "a"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid collection name '1st'");
        assertThat(failureOf(client.delete("articles", "a\u0001"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("control characters");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldCompleteEveryPendingFutureOnFlush() {
        // Given two documents in flight
        CompletableFuture<PublishAck> first = client.publish("articles", ClientDocument.of("a", "t"));
        CompletableFuture<PublishAck> second = client.delete("articles", "b");
        // When flushed
        client.flush();
        // Then both are acknowledged
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(second.join().offset()).isEqualTo(1);
    }

    @Test
    void shouldFlushOnCloseAndCloseOnlyOnce() {
        // Given a document in flight
        CompletableFuture<PublishAck> pending = client.publish("articles", ClientDocument.of("a", "t"));
        // When the client is closed twice
        client.close();
        client.close();
        // Then the document was acknowledged first and the producer closed once
        assertThat(pending).isCompleted();
        assertThat(producer.closes.get()).isEqualTo(1);
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void shouldFailPublishesAfterClose() {
        // Given a closed client
        client.close();
        // When it is used again
        CompletableFuture<PublishAck> ack = client.publish("articles", ClientDocument.of("a", "t"));
        CompletableFuture<PublishAck> delete = client.delete("articles", "a");
        client.flush();
        // Then the futures fail and nothing is thrown or sent
        assertThat(failureOf(ack)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(failureOf(delete)).isInstanceOf(IllegalStateException.class);
        assertThat(producer.history()).isEmpty();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    private static String messageOf(Runnable failing) {
        try {
            failing.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    /** MockProducer does not complete sends on close; counting closes shows close() is idempotent. */
    private static final class CountingMockProducer extends MockProducer<byte[], byte[]> {
        final AtomicInteger closes = new AtomicInteger();

        CountingMockProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void close(Duration timeout) {
            closes.incrementAndGet();
            super.close(timeout);
        }
    }
}
