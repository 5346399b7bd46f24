package dev.embedstream.ingest;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topic;
import dev.embedstream.contracts.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes documents to the documents topic, keyed by collection and id so that all events of a
 * document stay in order. Idempotent producer with {@code acks=all}: an acknowledged document is
 * never lost or duplicated by a producer retry.
 */
public final class DocumentPublisher implements AutoCloseable {

    /** Longest text a dead letter carries (the whole row stays in its source table). */
    static final int DEAD_LETTER_TEXT_CHARS = 64 * 1024;

    // Bytes in, so that a document already validated as JSON can be sent as it came (publishValidated);
    // the topic's serializers make the bytes of the others.
    private final KafkaProducer<byte[], byte[]> producer;
    private final Topic<DocumentKey, Document> topic;
    private final org.apache.kafka.common.serialization.Serializer<DocumentKey> keys;
    private final org.apache.kafka.common.serialization.Serializer<Document> values;
    private final String deadLetterTopic;
    private final Map<String, Object> props;
    private KafkaProducer<byte[], byte[]> raw;

    public DocumentPublisher(KafkaSettings kafka) {
        this.topic = kafka.topic(Topics.DOCUMENTS);
        this.deadLetterTopic = kafka.topic(Topics.DEAD_LETTERS).name();
        Map<String, Object> p = kafka.clientProperties("ingest");
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", 10);
        p.put("batch.size", 256 * 1024);
        p.put("compression.type", "lz4");
        p.put("max.request.size", 2 * 1024 * 1024);
        // An unreachable cluster should fail an import within seconds, not one minute per document.
        p.put("max.block.ms", 15_000);
        p.put("delivery.timeout.ms", 60_000);
        p.put("request.timeout.ms", 15_000);
        this.props = Map.copyOf(p);
        this.keys = topic.key().serializer();
        this.values = topic.value().serializer();
        this.producer = new KafkaProducer<>(p, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    /** Sends a document; the future completes when Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> publish(Document document) {
        return send(document.key(), values.serialize(topic.name(), document));
    }

    /**
     * Sends {@code json} as the value of the document {@code key}, byte for byte: the caller has checked
     * exactly these bytes with {@link dev.embedstream.contracts.DocumentCodec} (which gave the key), and
     * the embedder reads them with the same rules, so re-serializing would only cost time.
     */
    public java.util.concurrent.Future<RecordMetadata> publishValidated(DocumentKey key, byte[] json) {
        // Kafka's own future: no callback and no second future per record for a caller that only waits
        return producer.send(new ProducerRecord<>(topic.name(), keys.serialize(topic.name(), key), json));
    }

    /** Sends a tombstone that deletes the document and its vectors. */
    public CompletableFuture<RecordMetadata> delete(String collection, String id) {
        return send(new DocumentKey(collection, id), null);
    }

    /**
     * Sends a source row that cannot become a document (blank, too long, a NUL character) to the
     * dead-letter topic with the reason, so it is counted and can be fixed and retried.
     */
    public CompletableFuture<RecordMetadata> deadLetter(String collection, String id, String text, String reason) {
        java.util.Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("collection", collection);
        value.put("id", id);
        value.put("textHash", dev.embedstream.contracts.ContentHash.ofText(text));
        // The row is still in its table; the letter must fit Kafka's request size whatever the text.
        if (text != null && text.length() > DEAD_LETTER_TEXT_CHARS) {
            value.put("text", text.substring(0, DEAD_LETTER_TEXT_CHARS));
            value.put("textTruncated", true);
        } else {
            value.put("text", text);
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                dev.embedstream.contracts.Json.write(new DocumentKey(collection, id)), dev.embedstream.contracts.Json.write(value));
        record.headers().add(dev.embedstream.contracts.DeadLetters.REASON, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        record.headers().add(dev.embedstream.contracts.DeadLetters.STAGE, "backfill".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        rawProducer().send(record, (metadata, error) -> {
            if (error != null) {
                ack.completeExceptionally(error);
            } else {
                ack.complete(metadata);
            }
        });
        return ack;
    }

    private synchronized KafkaProducer<byte[], byte[]> rawProducer() {
        if (raw == null) {
            Map<String, Object> p = new java.util.HashMap<>(props);
            p.computeIfPresent("client.id", (k, v) -> v + "-dlq");
            raw = new KafkaProducer<>(p, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer());
        }
        return raw;
    }

    /** Waits until every document sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
        synchronized (this) {
            if (raw != null) {
                raw.flush();
            }
        }
    }

    private CompletableFuture<RecordMetadata> send(DocumentKey key, byte[] value) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic.name(), keys.serialize(topic.name(), key), value), (metadata, error) -> {
            if (error != null) {
                ack.completeExceptionally(error);
            } else {
                ack.complete(metadata);
            }
        });
        return ack;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
        synchronized (this) {
            if (raw != null) {
                raw.close(Duration.ofSeconds(30));
            }
        }
    }
}
