package dev.embedstream.embedder;

/**
 * Tuning of an in-process embedding model.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one inference call
 * @param maxBatchSize   most texts run through the model in one inference call
 */
public record LocalModelOptions(int intraOpThreads, int maxBatchSize) {

    /** Measured sweet spot on CPU: larger batches pad more and stop paying off. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 8;

    /** Upper bound on intra-op threads; more than this is a configuration mistake, not a tuning. */
    public static final int MAX_INTRA_OP_THREADS = 256;

    /** Upper bound on batch size; keeps the padded input and output tensors of one call small. */
    public static final int MAX_BATCH_SIZE_LIMIT = 1_024;

    public LocalModelOptions {
        if (intraOpThreads < 1 || intraOpThreads > MAX_INTRA_OP_THREADS) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be in 1.." + MAX_INTRA_OP_THREADS + ", got " + intraOpThreads);
        }
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
            throw new IllegalArgumentException(
                    "maxBatchSize must be in 1.." + MAX_BATCH_SIZE_LIMIT + ", got " + maxBatchSize);
        }
    }

    /** One intra-op thread per available processor and batches of {@link #DEFAULT_MAX_BATCH_SIZE}. */
    public static LocalModelOptions defaults() {
        int processors = Math.min(Runtime.getRuntime().availableProcessors(), MAX_INTRA_OP_THREADS);
        return new LocalModelOptions(processors, DEFAULT_MAX_BATCH_SIZE);
    }

    /** A copy with another number of intra-op threads. */
    public LocalModelOptions withIntraOpThreads(int threads) {
        return new LocalModelOptions(threads, maxBatchSize);
    }

    /** A copy with another batch size. */
    public LocalModelOptions withMaxBatchSize(int batchSize) {
        return new LocalModelOptions(intraOpThreads, batchSize);
    }
}
