package dev.embedstream.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EmbedderWorkerTest {

    @Test
    void shouldTakeTheRecordsOwnOffsetUnlessAReplayRecordedOne() {
        // Given a plain record and a replayed one
        ConsumerRecord<byte[], byte[]> plain = new ConsumerRecord<>("t", 0, 42L, new byte[0], new byte[0]);
        ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("t", 0, 7L, new byte[0], new byte[0]);
        replayed.headers().add(Topics.SOURCE_OFFSET_HEADER, "1234".getBytes(StandardCharsets.UTF_8));

        // When / Then
        assertThat(EmbedderWorker.sourceOffset(plain)).isEqualTo(42L);
        assertThat(EmbedderWorker.sourceOffset(replayed)).isEqualTo(1234L);
    }

    @Test
    void shouldRefuseAForgedSourceOffsetHeaderAsBadInputRatherThanStop() {
        // Given a record whose producer set the workers' header to something that is no offset
        ConsumerRecord<byte[], byte[]> forged = new ConsumerRecord<>("t", 0, 7L, new byte[0], new byte[0]);
        forged.headers().add(Topics.SOURCE_OFFSET_HEADER, "soon".getBytes(StandardCharsets.UTF_8));

        // When / Then it is an input error (dead-lettered), not an unexpected exception (the worker would stop)
        assertThatThrownBy(() -> EmbedderWorker.sourceOffset(forged))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(Topics.SOURCE_OFFSET_HEADER)
                .hasMessageContaining("soon");
    }
}
