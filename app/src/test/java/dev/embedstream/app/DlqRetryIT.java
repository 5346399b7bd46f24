package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.app.cli.DlqCommand;
import dev.embedstream.contracts.DeadLetters;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.TopicSetup;
import dev.embedstream.contracts.Topics;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** `dlq retry` on a real broker: what came from a topic goes back to it; what did not is passed over, said. */
class DlqRetryIT {

    @Test
    void shouldReplayTheOthersWhenALetterCameFromNoTopic() throws Exception {
        // Given a table row the backfill could not publish, dead-lettered before a worker's letter of a record
        KafkaSettings kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it",
                "dlq-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        TopicSetup.ensure(kafka, TopicSetup.DEFAULT_PARTITIONS, (short) 1);
        String documents = kafka.topic(Topics.DOCUMENTS).name();
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            publisher.deadLetter("articles", "row-7", "text with a NUL", "text holds a NUL character").get();
        }
        try (var producer = new KafkaProducer<>(kafka.clientProperties("it-letters"), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(kafka.topic(Topics.DEAD_LETTERS).name(),
                    utf8("{\"collection\":\"articles\",\"id\":\"a-1\"}"), utf8("{\"id\":\"a-1\"}"));
            letter.headers().add(DeadLetters.SOURCE_TOPIC, utf8(documents));
            letter.headers().add(DeadLetters.REASON, utf8("provider down"));
            producer.send(letter).get();
        }

        // When the dead letters are retried
        DlqCommand.Replay first = DlqCommand.replay(kafka);

        // Then the worker's letter is back on the documents topic, the row's is counted with what to do instead
        assertThat(first.replayed()).isEqualTo(1);
        assertThat(first.notReplayable()).hasSize(1);
        assertThat(first.notReplayable().keySet().iterator().next()).contains("embedstream backfill articles");
        assertThat(first.notReplayable().values()).containsExactly(1);
        assertThat(keysOn(kafka, documents)).containsExactly("{\"collection\":\"articles\",\"id\":\"a-1\"}");
        // And neither is offered again
        DlqCommand.Replay second = DlqCommand.replay(kafka);
        assertThat(second.replayed()).isZero();
        assertThat(second.notReplayable()).isEmpty();
    }

    private static List<String> keysOn(KafkaSettings kafka, String topic) {
        try (var consumer = new KafkaConsumer<>(kafka.consumerProperties("it-check", "it-check-" + UUID.randomUUID(), 100),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> keys = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (keys.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(new String(r.key(), StandardCharsets.UTF_8));
                }
            }
            // anything more would have arrived with the first: one producer, one send
            consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
            return keys;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
