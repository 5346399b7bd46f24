package dev.embedstream.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.client.ClientConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void shouldNeverLoseOrDuplicateAnAcknowledgedDocument() {
        // Given the default config
        Map<String, Object> props = ProducerSettings.of(ClientConfig.of("k:9092"), "client-1");
        // Then every replica acknowledges, and retries cannot duplicate or reorder
        assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .doesNotContainKeys("partitioner.class", "max.in.flight.requests.per.connection", "retries");
    }

    @Test
    void shouldBatchAndCompressForThroughput() {
        // Given a config with its own linger
        ClientConfig config = ClientConfig.builder("k:9092").linger(Duration.ofMillis(7)).build();
        // When the producer's properties are built
        Map<String, Object> props = ProducerSettings.of(config, "client-1");
        // Then batches are large, compressed and wait only the linger
        assertThat(props).containsEntry("compression.type", "lz4").containsEntry("batch.size", 256 * 1024)
                .containsEntry("linger.ms", 7).containsEntry("max.request.size", 2 * 1024 * 1024);
    }

    @Test
    void shouldNameTheClientAndCarryTheTimeoutsAndExtras() {
        // Given a config with a prefix, timeouts and TLS
        ClientConfig config = ClientConfig.builder("k:9093").clientIdPrefix("shop")
                .deliveryTimeout(Duration.ofMinutes(3)).maxBlock(Duration.ofSeconds(9))
                .kafkaProperty("security.protocol", "SSL").kafkaProperty("compression.type", "zstd").build();
        // When the producer's properties are built
        Map<String, Object> props = ProducerSettings.of(config, "client-2");
        // Then the workers' naming is kept and the extras are added
        assertThat(props).containsEntry("bootstrap.servers", "k:9093").containsEntry("client.id", "shop-client-2")
                .containsEntry("delivery.timeout.ms", 180_000).containsEntry("request.timeout.ms", 30_000)
                .containsEntry("max.block.ms", 9_000L).containsEntry("security.protocol", "SSL")
                .containsEntry("compression.type", "zstd");
    }
}
