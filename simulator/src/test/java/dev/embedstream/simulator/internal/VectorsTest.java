package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VectorsTest {

    @Test
    void shouldReturnTheSameUnitVectorForTheSameModelAndText() {
        // Given / When
        float[] first = Vectors.embed("text-embedding-3-small", "text:hello", 1536);
        float[] second = Vectors.embed("text-embedding-3-small", "text:hello", 1536);

        // Then
        assertThat(first).hasSize(1536).containsExactly(second);
        assertThat(norm(first)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void shouldGiveDifferentTextsAndModelsDifferentDirections() {
        float[] hello = Vectors.embed("text-embedding-3-small", "text:hello", 1536);
        float[] world = Vectors.embed("text-embedding-3-small", "text:world", 1536);
        float[] otherModel = Vectors.embed("text-embedding-3-large", "text:hello", 1536);

        assertThat(Math.abs(dot(hello, world))).isLessThan(0.2);
        assertThat(Math.abs(dot(hello, otherModel))).isLessThan(0.2);
    }

    @Test
    void shouldShortenLikeOpenAiByRenormalisingThePrefixOfTheFullVector() {
        // Given
        float[] full = Vectors.embed("text-embedding-3-large", "text:hello", 3072);

        // When
        float[] shortened = Vectors.embed("text-embedding-3-large", "text:hello", 256);

        // Then
        float[] prefix = Arrays.copyOf(full, 256);
        double prefixNorm = norm(prefix);
        for (int i = 0; i < 256; i++) {
            assertThat((double) shortened[i]).isCloseTo(prefix[i] / prefixNorm, within(1e-6));
        }
        assertThat(norm(shortened)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void shouldEncodeBase64AsLittleEndianFloat32() {
        // Given
        float[] vector = {1.0f, -0.5f, Float.NaN};

        // When
        byte[] bytes = Base64.getDecoder().decode(Vectors.base64(vector));

        // Then
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(12);
        assertThat(buffer.getFloat()).isEqualTo(1.0f);
        assertThat(buffer.getFloat()).isEqualTo(-0.5f);
        assertThat(buffer.getFloat()).isNaN();
    }

    private static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
