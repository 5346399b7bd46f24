package dev.embedstream.ingest;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.Topic;
import dev.embedstream.ingest.internal.ChangeEvents;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The Debezium source topology: change events of one table in, documents (upserts and tombstones) out
 * to the documents topic, unusable events to the dead-letter topic with the reason. Stateless.
 *
 * <p>Creates, snapshot reads and updates become documents; deletes and Kafka tombstones delete the
 * document. An update whose text and metadata columns are the same in the old and the new row is
 * skipped ({@link DebeziumCounters#skipped()}); without the old row (the table's REPLICA IDENTITY is
 * not FULL) that cannot be told, and the update is published.
 */
public final class DebeziumTopology {

    /** Where a change event goes. */
    sealed interface Routed permits ToDocuments, ToDeadLetters {
    }

    /** A document for the documents topic; a null document is its tombstone. */
    record ToDocuments(DocumentKey key, Document document) implements Routed {
    }

    /** The event's own value, for the dead-letter topic under its own key, with the reason in the headers. */
    record ToDeadLetters(byte[] value) implements Routed {
    }

    private DebeziumTopology() {
    }

    /**
     * Adds the topology to {@code builder}.
     *
     * @param documents   the documents topic as this deployment names it ({@code kafka.topic(Topics.DOCUMENTS)})
     * @param deadLetters the dead-letter topic as this deployment names it
     * @param counters    counts what became of each event
     */
    public static StreamsBuilder build(StreamsBuilder builder, DebeziumSourceConfig config,
                                       Topic<DocumentKey, Document> documents, Topic<byte[], byte[]> deadLetters,
                                       DebeziumCounters counters) {
        ChangeEvents events = new ChangeEvents(config.collection(), config.keyColumns(), config.template(),
                config.metadataColumns());
        // Raw bytes in: an event that is not JSON must reach the dead-letter topic, not a deserialiser
        // that can only log it or stop the stream.
        KStream<byte[], Routed> routed = builder
                .stream(config.topics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("debezium-changes"))
                .processValues(() -> new DebeziumChangeProcessor(events, counters, deadLetters.name()),
                        Named.as("debezium-to-documents"));
        routed.filter((k, v) -> v instanceof ToDocuments, Named.as("debezium-documents"))
                .map((k, v) -> KeyValue.pair(((ToDocuments) v).key(), ((ToDocuments) v).document()),
                        Named.as("debezium-document-key"))
                .to(documents.name(), Produced.with(documents.key(), documents.value()).withName("documents"));
        routed.filter((k, v) -> v instanceof ToDeadLetters, Named.as("debezium-dead-letters"))
                .mapValues(v -> ((ToDeadLetters) v).value(), Named.as("debezium-original-value"))
                .to(deadLetters.name(), Produced.with(deadLetters.key(), deadLetters.value()).withName("dead-letters"));
        return builder;
    }
}
