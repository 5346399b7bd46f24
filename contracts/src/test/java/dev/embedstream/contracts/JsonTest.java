package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void shouldReadBackEveryFloatOfAVectorWrittenAsNumbersBitForBit() {
        // Given vectors of random floats of every magnitude, and the edge values
        SplittableRandom random = new SplittableRandom(7);
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
            1f, -1f, 0.1f, 1e-7f, 3.4028235e38f, 1.17549435E-38f};
        for (int n = 0; n < 2_000; n++) {
            float[] vector = new float[384];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = i < edges.length && n == 0 ? edges[i]
                        : i % 2 == 0 ? Float.intBitsToFloat(random.nextInt()) // any bit pattern, subnormals too
                        : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-40, 38)));
                if (!Float.isFinite(vector[i])) {
                    vector[i] = 1f;
                }
            }
            // When written as a JSON array of numbers (as other producers send vectors) and read back
            float[] back = Json.read(Json.write(vector), float[].class);

            // Then every float is the same bits
            for (int i = 0; i < vector.length; i++) {
                assertThat(Float.floatToRawIntBits(back[i])).as("element %d of %s", i, vector[i])
                        .isEqualTo(Float.floatToRawIntBits(vector[i]));
            }
        }
    }
}
