package dev.embedstream.ingest;

import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.ingest.internal.ChangeEvents;
import dev.embedstream.ingest.internal.ChangeEvents.Outcome;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes each raw change event to the documents topic or, with the reason, to the dead-letter topic. */
final class DebeziumChangeProcessor implements FixedKeyProcessor<byte[], byte[], DebeziumTopology.Routed> {

    static final String STAGE = "debezium";

    private static final Logger log = LoggerFactory.getLogger(DebeziumChangeProcessor.class);

    private final ChangeEvents events;
    private final DebeziumCounters counters;
    private final String deadLetterTopic;
    private FixedKeyProcessorContext<byte[], DebeziumTopology.Routed> context;

    DebeziumChangeProcessor(ChangeEvents events, DebeziumCounters counters, String deadLetterTopic) {
        this.events = events;
        this.counters = counters;
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], DebeziumTopology.Routed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], byte[]> record) {
        Outcome outcome = outcome(record);
        if (outcome instanceof ChangeEvents.Upsert u) {
            counters.countPublished();
            forward(record, new DebeziumTopology.ToDocuments(u.document().key(), u.document()));
        } else if (outcome instanceof ChangeEvents.Delete d) {
            counters.countDeleted();
            forward(record, new DebeziumTopology.ToDocuments(d.key(), null));
        } else if (outcome instanceof ChangeEvents.Skip s) {
            counters.countSkipped();
            log.debug("change event skipped: {}", s.why());
        } else if (outcome instanceof ChangeEvents.Reject r) {
            counters.countDeadLettered();
            deadLetter(record, r.reason());
        }
    }

    // One record that breaks the mapping must not stop the table's stream: it is a dead letter too.
    private Outcome outcome(FixedKeyRecord<byte[], byte[]> record) {
        try {
            return events.map(record.key(), record.value());
        } catch (RuntimeException e) {
            log.error("change event could not be mapped", e);
            return new ChangeEvents.Reject("unexpected failure: " + e);
        }
    }

    // Debezium's own headers mean nothing to the embedder; the document starts clean.
    private void forward(FixedKeyRecord<byte[], byte[]> record, DebeziumTopology.ToDocuments out) {
        context.forward(record.withValue((DebeziumTopology.Routed) out).withHeaders(new RecordHeaders()));
    }

    private void deadLetter(FixedKeyRecord<byte[], byte[]> record, String reason) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        ConsumerRecord<byte[], byte[]> source = new ConsumerRecord<>(where.topic(), where.partition(), where.offset(),
                record.timestamp(), TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), record.headers(),
                Optional.empty());
        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(deadLetterTopic, source, STAGE, reason);
        log.warn("{}", DeadLetters.describe(letter));
        context.forward(record.withValue((DebeziumTopology.Routed) new DebeziumTopology.ToDeadLetters(record.value()))
                .withHeaders(letter.headers()));
    }
}
