package dev.embedstream.embedder;

/**
 * Tuning of an in-process embedding model.
 *
 * <p>Measured on 2 cores (BENCHMARKS.md, scenario 11): one single-threaded ONNX Runtime session per
 * core, each running its own batch, beats one session spreading every call over all cores (no
 * synchronisation between the cores inside a call, no spinning thread pool), and batches of a few
 * length-sorted texts beat both one text per call and large batches (padding and cache misses).
 *
 * @param sessions       ONNX Runtime sessions, each running one batch at a time on its own thread; this
 *                       is the model's share of the machine's cores (the writer and Kafka clients use the rest)
 * @param intraOpThreads threads one session uses inside one inference call
 * @param maxBatchSize   most texts run through the model in one inference call
 */
public record LocalModelOptions(int sessions, int intraOpThreads, int maxBatchSize) {

    /**
     * Measured sweet spot on 2 cores with the embedder's calls of 64 texts: 2 texts per batch pay
     * ONNX Runtime's per-call cost too often, 8 and 16 pad more and leave one session idle at the end
     * of a call while the other finishes the last long batch.
     */
    public static final int DEFAULT_MAX_BATCH_SIZE = 4;

    /** Upper bound on sessions and on intra-op threads; more is a configuration mistake, not a tuning. */
    public static final int MAX_THREADS = 256;

    /** Upper bound on batch size; keeps the padded input and output tensors of one call small. */
    public static final int MAX_BATCH_SIZE_LIMIT = 1_024;

    public LocalModelOptions {
        if (sessions < 1 || sessions > MAX_THREADS) {
            throw new IllegalArgumentException("sessions must be in 1.." + MAX_THREADS + ", got " + sessions);
        }
        if (intraOpThreads < 1 || intraOpThreads > MAX_THREADS) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be in 1.." + MAX_THREADS + ", got " + intraOpThreads);
        }
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE_LIMIT) {
            throw new IllegalArgumentException(
                    "maxBatchSize must be in 1.." + MAX_BATCH_SIZE_LIMIT + ", got " + maxBatchSize);
        }
    }

    /**
     * Most sessions by default: each holds its own copy of the weights (about 90 MB in fp32), and the
     * embedder's calls of 64 texts give more sessions little to share.
     */
    public static final int MAX_DEFAULT_SESSIONS = 8;

    /**
     * One single-threaded session per available processor, at most {@link #MAX_DEFAULT_SESSIONS},
     * batches of {@link #DEFAULT_MAX_BATCH_SIZE}.
     */
    public static LocalModelOptions defaults() {
        return withThreads(Math.min(Runtime.getRuntime().availableProcessors(), MAX_DEFAULT_SESSIONS));
    }

    /** {@code threads} single-threaded sessions, batches of {@link #DEFAULT_MAX_BATCH_SIZE}. */
    public static LocalModelOptions withThreads(int threads) {
        return new LocalModelOptions(Math.min(threads, MAX_THREADS), 1, DEFAULT_MAX_BATCH_SIZE);
    }

    /** A copy with another batch size. */
    public LocalModelOptions withMaxBatchSize(int batchSize) {
        return new LocalModelOptions(sessions, intraOpThreads, batchSize);
    }

    /** Cores the model keeps busy at most: sessions times their intra-op threads. */
    public int threads() {
        return sessions * intraOpThreads;
    }
}
