package dev.embedstream.client.internal;

import dev.embedstream.client.ClientConfig;
import dev.embedstream.client.ClientDocument;
import dev.embedstream.client.EmbedstreamClient;
import dev.embedstream.client.PublishAck;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Texts;
import dev.embedstream.contracts.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/** {@link EmbedstreamClient} over one idempotent Kafka producer. */
public final class KafkaEmbedstreamClient implements EmbedstreamClient {

    /**
     * Largest key plus value sent. The topic's limit applies to the compressed batch with its headers, and
     * LZ4 can grow incompressible bytes slightly, so some room is kept below it.
     */
    public static final int MAX_RECORD_BYTES = ProducerSettings.MAX_REQUEST_BYTES - 16 * 1024;

    // Distinct client ids: two producers with one id in a JVM collide in JMX and in broker quotas.
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    // The workers read with these very serdes, so the bytes are theirs by construction.
    private final Serializer<DocumentKey> keys = Topics.DOCUMENTS.key().serializer();
    private final Serializer<Document> values = Topics.DOCUMENTS.value().serializer();
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Duration closeTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    KafkaEmbedstreamClient(Producer<byte[], byte[]> producer, String topic, Duration closeTimeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    public static KafkaEmbedstreamClient create(ClientConfig config) {
        String role = "client-" + INSTANCES.incrementAndGet();
        Producer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.of(config, role),
                new ByteArraySerializer(), new ByteArraySerializer());
        return new KafkaEmbedstreamClient(producer, config.documentsTopic(), config.deliveryTimeout());
    }

    @Override
    public CompletableFuture<PublishAck> publish(String collection, ClientDocument document) {
        if (document == null) {
            return CompletableFuture.failedFuture(new InvalidInputException("missing document"));
        }
        Document checked;
        try {
            checked = new Document(collection, document.id(), document.text(), document.metadata(), document.version());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publish(checked);
    }

    @Override
    public CompletableFuture<PublishAck> publish(Document document) {
        if (document == null) {
            return CompletableFuture.failedFuture(new InvalidInputException("missing document"));
        }
        return send(document.key(), document);
    }

    @Override
    public CompletableFuture<PublishAck> delete(String collection, String id) {
        DocumentKey key;
        try {
            key = new DocumentKey(collection, id);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(key, null);
    }

    private CompletableFuture<PublishAck> send(DocumentKey key, Document document) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the embedstream client is closed"));
        }
        byte[] keyBytes;
        byte[] valueBytes;
        try {
            keyBytes = keys.serialize(topic, key);
            valueBytes = document == null ? null : values.serialize(topic, document);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        int size = keyBytes.length + (valueBytes == null ? 0 : valueBytes.length);
        if (size > MAX_RECORD_BYTES) {
            // Refused here with the reason rather than by the broker with RecordTooLargeException.
            return CompletableFuture.failedFuture(new InvalidInputException("document " + Texts.quoteForMessage(key.id())
                    + " is " + size + " bytes as a Kafka record, more than the documents topic's limit of " + MAX_RECORD_BYTES));
        }
        CompletableFuture<PublishAck> ack = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, keyBytes, valueBytes), (metadata, error) -> {
                if (error != null) {
                    ack.completeExceptionally(error);
                } else {
                    ack.complete(new PublishAck(key.collection(), key.id(), document == null, metadata.topic(),
                            metadata.partition(), metadata.offset()));
                }
            });
        } catch (RuntimeException e) {
            // e.g. a closed producer, or no metadata within max.block.ms: the caller learns it from the future
            ack.completeExceptionally(e);
        }
        return ack;
    }

    @Override
    public void flush() {
        if (!closed.get()) {
            producer.flush();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            producer.flush();
        } catch (KafkaException e) {
            // Refused on Kafka's own I/O thread, or interrupted: close() below still completes or fails every send.
        } finally {
            producer.close(closeTimeout);
        }
    }
}
