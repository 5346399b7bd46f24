package dev.embedstream.client;

import dev.embedstream.client.internal.KafkaEmbedstreamClient;
import dev.embedstream.contracts.Document;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes documents to embedstream's documents topic, from which the workers embed and index them.
 *
 * <p>Thread-safe; one client per application is enough. Every call returns at once (unless the
 * producer's buffer is full, see {@link ClientConfig#maxBlock()}) with a future that completes when Kafka
 * acknowledged the record, or fails: with {@link dev.embedstream.contracts.InvalidInputException} for a
 * document the pipeline would refuse (nothing is sent), or with Kafka's error. No call throws for a bad
 * document, and no document is dropped without its future saying so.
 *
 * <p>Futures complete on Kafka's I/O thread: continue with the {@code ...Async} methods for anything
 * slow, and never call {@link #flush()} from there.
 */
public interface EmbedstreamClient extends AutoCloseable {

    /** A client with the default settings for a cluster, e.g. {@code "kafka-1:9092,kafka-2:9092"}. */
    static EmbedstreamClient create(String bootstrapServers) {
        return create(ClientConfig.of(bootstrapServers));
    }

    static EmbedstreamClient create(ClientConfig config) {
        return KafkaEmbedstreamClient.create(config);
    }

    /** Publishes a document, replacing any earlier one with its collection and id. */
    CompletableFuture<PublishAck> publish(String collection, ClientDocument document);

    /** Publishes a document built with the contract type (already checked by its constructor). */
    CompletableFuture<PublishAck> publish(Document document);

    /** Deletes a document and all its vectors (a tombstone); deleting an unknown id is harmless. */
    CompletableFuture<PublishAck> delete(String collection, String id);

    /** Waits until every record sent so far is acknowledged or failed. */
    void flush();

    /** Flushes, then releases the producer; later calls fail their futures. Calling it again does nothing. */
    @Override
    void close();
}
