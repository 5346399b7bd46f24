package dev.embedstream.contracts;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Builds dead-letter records: the original key and value, with where it came from and why it failed. */
public final class DeadLetters {

    public static final String REASON = "embedstream.dlq.reason";
    public static final String STAGE = "embedstream.dlq.stage";
    public static final String SOURCE_TOPIC = "embedstream.dlq.source.topic";
    public static final String SOURCE_PARTITION = "embedstream.dlq.source.partition";
    public static final String SOURCE_OFFSET = "embedstream.dlq.source.offset";

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> of(String deadLetterTopic, ConsumerRecord<byte[], byte[]> source,
                                                    String stage, String reason) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value());
        Headers headers = out.headers();
        for (Header h : source.headers()) {
            headers.add(h);
        }
        headers.add(REASON, utf8(reason));
        headers.add(STAGE, utf8(stage));
        headers.add(SOURCE_TOPIC, utf8(source.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(source.offset())));
        return out;
    }

    /** One line for a log: where the dead letter came from and why. */
    public static String describe(ProducerRecord<byte[], byte[]> deadLetter) {
        Headers h = deadLetter.headers();
        return header(h, STAGE) + " dead-lettered " + header(h, SOURCE_TOPIC) + "-" + header(h, SOURCE_PARTITION) + "@"
                + header(h, SOURCE_OFFSET) + ": " + header(h, REASON);
    }

    /** Sends records and waits until Kafka acknowledged every one; the first failure is thrown. */
    public static void sendAndAwait(org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer,
                                    java.util.List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        java.util.List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> r : records) {
            acks.add(producer.send(r));
        }
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get();
        }
    }

    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
