package dev.embedstream.embedder.internal.onnx;

import java.nio.FloatBuffer;

/**
 * Sentence-transformers' pooling for this model family: the mean of the token vectors the
 * attention mask keeps, then L2 normalisation so that cosine similarity is a dot product.
 */
final class MeanPooling {

    /** Same floors as sentence-transformers (mean) and torch.nn.functional.normalize (norm). */
    private static final double MIN_TOKENS = 1e-9;
    private static final double MIN_NORM = 1e-12;

    private MeanPooling() {}

    /**
     * Pools one row of a {@code [size, length, dimensions]} row-major hidden-state tensor.
     *
     * @param hidden        the whole batch's last hidden state
     * @param attentionMask the batch's {@code [size, length]} mask
     */
    static float[] pool(FloatBuffer hidden, long[] attentionMask, int row, int length, int dimensions) {
        double[] sum = new double[dimensions];
        long kept = 0;
        for (int t = 0; t < length; t++) {
            if (attentionMask[row * length + t] == 0) {
                continue;
            }
            addToken(hidden, (row * length + t) * dimensions, sum);
            kept++;
        }
        return normalise(mean(sum, Math.max(kept, MIN_TOKENS)));
    }

    private static void addToken(FloatBuffer hidden, int offset, double[] sum) {
        for (int d = 0; d < sum.length; d++) {
            sum[d] += hidden.get(offset + d);
        }
    }

    private static double[] mean(double[] sum, double tokens) {
        double[] mean = new double[sum.length];
        for (int d = 0; d < sum.length; d++) {
            mean[d] = sum[d] / tokens;
        }
        return mean;
    }

    private static float[] normalise(double[] mean) {
        double squares = 0;
        for (double v : mean) {
            squares += v * v;
        }
        double norm = Math.max(Math.sqrt(squares), MIN_NORM);
        float[] vector = new float[mean.length];
        for (int d = 0; d < mean.length; d++) {
            vector[d] = (float) (mean[d] / norm);
        }
        return vector;
    }
}
