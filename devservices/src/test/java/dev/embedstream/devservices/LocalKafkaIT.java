package dev.embedstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LocalKafkaIT {

    @Test
    void shouldDeliverARecordThroughARealBroker() throws Exception {
        // Given a running local broker
        try (LocalKafka kafka = LocalKafka.start()) {
            Map<String, Object> common = Map.of("bootstrap.servers", kafka.bootstrapServers());
            // When a record is produced and acknowledged
            try (var producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("probe", "k", "hello")).get();
            }
            // Then a consumer reads it back
            Map<String, Object> consumerProps = new java.util.HashMap<>(common);
            consumerProps.put("group.id", "probe");
            consumerProps.put("auto.offset.reset", "earliest");
            try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("probe"));
                String seen = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen == null && System.nanoTime() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    for (var r : records) {
                        seen = r.value();
                    }
                }
                assertThat(seen).isEqualTo("hello");
            }
        }
    }
}
