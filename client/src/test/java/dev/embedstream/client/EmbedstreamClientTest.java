package dev.embedstream.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbedstreamClientTest {

    @Test
    void shouldFailTheFutureInsteadOfThrowingWhenNoClusterAnswers() {
        // Given a real producer (its properties are checked by Kafka itself) pointed where nothing listens
        ClientConfig config = ClientConfig.builder("127.0.0.1:9").maxBlock(Duration.ofMillis(300)).build();
        try (EmbedstreamClient client = EmbedstreamClient.create(config)) {
            // When a document is published
            CompletableFuture<PublishAck> ack = client.publish("articles", ClientDocument.of("a", "text"));
            // Then the call returned, and the future fails once the metadata wait is over
            assertThat(ack).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
                    .havingRootCause().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }
}
