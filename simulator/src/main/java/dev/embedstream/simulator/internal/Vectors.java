package dev.embedstream.simulator.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Deterministic unit vectors: the same (model, input) always yields the same direction, in every JVM.
 *
 * <p>A vector asked for with fewer {@code dimensions} is the prefix of the model's full vector, renormalised, which
 * is how OpenAI's text-embedding-3 models shorten embeddings; clients that compare shortened and full vectors see the
 * same relationship they would against the real service.
 */
final class Vectors {

    private Vectors() {
    }

    static float[] embed(String model, String inputKey, int dimensions) {
        SplittableRandom random = new SplittableRandom(seed(model, inputKey));
        double[] values = new double[dimensions];
        double sumOfSquares = 0;
        // The first d draws do not depend on d, so a shortened vector is the renormalised prefix of the full one.
        for (int i = 0; i < dimensions; i++) {
            values[i] = random.nextDouble() * 2 - 1;
            sumOfSquares += values[i] * values[i];
        }
        return normalise(values, Math.sqrt(sumOfSquares));
    }

    /** OpenAI's {@code encoding_format=base64}: the float32 values, little-endian, base64-encoded. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static float[] normalise(double[] values, double norm) {
        float[] vector = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            vector[i] = (float) (values[i] / norm);
        }
        return vector;
    }

    private static long seed(String model, String inputKey) {
        byte[] digest = sha256(model + '\u0000' + inputKey);
        return ByteBuffer.wrap(digest).getLong();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
