package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HnswBuildMemoryTest {

    @Test
    void shouldAllowMoreThanPgvectorMeasuredPerRow() {
        // Given the bytes per row pgvector 0.8.0 used before its graph outgrew 16 MB (its notice's tuple count)
        // Then the estimate allows more, with room to spare
        assertThat(HnswBuildMemory.bytes(1_000_000, 384, 16) / 1_000_000.0).isGreaterThan(2_316 * 1.15);
        assertThat(HnswBuildMemory.bytes(1_000_000, 384, 8) / 1_000_000.0).isGreaterThan(2_066 * 1.15);
        assertThat(HnswBuildMemory.bytes(1_000_000, 1536, 16) / 1_000_000.0).isGreaterThan(6_941 * 1.15);
    }

    @Test
    void shouldNeverAskForLessThanPostgresDefault() {
        assertThat(HnswBuildMemory.megabytes(0, 384, 16)).isEqualTo(64);
        assertThat(HnswBuildMemory.megabytes(10_000, 384, 16)).isEqualTo(64);
    }

    @Test
    void shouldRoundUpToWholeMegabytes() {
        // Given 100,000 384-d vectors at m = 16: 2,368 bytes a row, 1.2 of it
        long bytes = HnswBuildMemory.bytes(100_000, 384, 16);

        // Then
        assertThat(bytes).isBetween(284_159_999L, 284_160_001L);
        assertThat(HnswBuildMemory.megabytes(100_000, 384, 16)).isEqualTo(271);
    }

    @Test
    void shouldRefuseImpossibleShapes() {
        assertThatThrownBy(() -> HnswBuildMemory.bytes(-1, 384, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HnswBuildMemory.bytes(1, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HnswBuildMemory.bytes(1, 384, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
