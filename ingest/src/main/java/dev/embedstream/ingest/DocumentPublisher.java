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

    private final KafkaProducer<DocumentKey, Document> producer;
    private final Topic<DocumentKey, Document> topic;

    public DocumentPublisher(KafkaSettings kafka) {
        this.topic = kafka.topic(Topics.DOCUMENTS);
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
        this.producer = new KafkaProducer<>(p, topic.key().serializer(), topic.value().serializer());
    }

    /** Sends a document; the future completes when Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> publish(Document document) {
        return send(new ProducerRecord<>(topic.name(), document.key(), document));
    }

    /** Sends a tombstone that deletes the document and its vectors. */
    public CompletableFuture<RecordMetadata> delete(String collection, String id) {
        return send(new ProducerRecord<>(topic.name(), new DocumentKey(collection, id), null));
    }

    /** Waits until every document sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<DocumentKey, Document> record) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
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
    }
}
