package dev.embedstream.embedder;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import java.time.Duration;

/**
 * Configuration of the embedder worker.
 *
 * @param provider          {@code local} (the bundled all-MiniLM-L6-v2 model; no key, no network) or
 *                          {@code openai} (OpenAI or any compatible server, see {@link OpenAiConfig})
 * @param groupId           Kafka consumer group
 * @param batchDocuments    most documents embedded together (one provider call)
 * @param pollRecords       most records polled and handled as one batch: embedded {@code batchDocuments}
 *                          at a time, each group sent on as soon as it is embedded, the offsets
 *                          committed once all are acknowledged (a batch's fixed costs, a lookup of
 *                          stored content and a commit, are paid once per poll)
 * @param chunkOverlapTokens tokens shared by consecutive chunks of a text longer than the model's window
 * @param localThreads      cores the local model may keep busy: that many single-threaded ONNX sessions
 *                          (0: one per core)
 * @param localVariant      the bundled model's variant new collections get: {@code int8} (quantized,
 *                          about twice as fast) or {@code fp32}; existing collections keep theirs
 * @param retryBackoffMax   longest wait between retries of a failed batch
 * @param createCollections whether a document for a collection the catalog does not know creates it
 *                          (false: it is dead-lettered as an unknown collection, so a typo in a
 *                          producer cannot grow a table nobody reads)
 */
public record EmbedderConfig(String provider, String groupId, int batchDocuments, int chunkOverlapTokens,
                             int localThreads, String localVariant, Duration retryBackoffMax,
                             boolean createCollections, int pollRecords) {

    public static final String PROVIDER = "EMBEDSTREAM_EMBEDDER_PROVIDER";
    public static final String GROUP_ID = "EMBEDSTREAM_EMBEDDER_GROUP_ID";
    public static final String BATCH_DOCUMENTS = "EMBEDSTREAM_EMBEDDER_BATCH_DOCUMENTS";
    public static final String CHUNK_OVERLAP_TOKENS = "EMBEDSTREAM_EMBEDDER_CHUNK_OVERLAP_TOKENS";
    public static final String LOCAL_THREADS = "EMBEDSTREAM_EMBEDDER_LOCAL_THREADS";
    public static final String LOCAL_VARIANT = "EMBEDSTREAM_EMBEDDER_LOCAL_VARIANT";
    public static final String RETRY_BACKOFF_MAX = "EMBEDSTREAM_EMBEDDER_RETRY_BACKOFF_MAX";
    public static final String CREATE_COLLECTIONS = "EMBEDSTREAM_EMBEDDER_CREATE_COLLECTIONS";
    public static final String POLL_RECORDS = "EMBEDSTREAM_EMBEDDER_POLL_RECORDS";

    public static final String PROVIDER_LOCAL = "local";
    public static final String PROVIDER_OPENAI = "openai";
    public static final String DEFAULT_GROUP_ID = "embedstream-embedder";
    public static final int DEFAULT_BATCH_DOCUMENTS = 64;
    public static final int DEFAULT_CHUNK_OVERLAP_TOKENS = dev.embedstream.contracts.Chunking.DEFAULT_OVERLAP_TOKENS;
    public static final int DEFAULT_LOCAL_THREADS = 0;
    public static final String DEFAULT_LOCAL_VARIANT = LocalModels.DEFAULT_VARIANT;
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    public static final boolean DEFAULT_CREATE_COLLECTIONS = true;
    /** The local model's default poll (raised to {@code batchDocuments} when that is larger); an API's is one batch. */
    public static final int DEFAULT_POLL_RECORDS = 512;

    public EmbedderConfig {
        if (!PROVIDER_LOCAL.equals(provider) && !PROVIDER_OPENAI.equals(provider)) {
            throw new ConfigException(PROVIDER, "'" + provider + "' is not a known provider (known: local, openai)");
        }
        ConfigLookup.requireNonBlank(GROUP_ID, groupId);
        ConfigLookup.requireRange(BATCH_DOCUMENTS, batchDocuments, 1, 10_000);
        ConfigLookup.requireRange(CHUNK_OVERLAP_TOKENS, chunkOverlapTokens, 0,
                dev.embedstream.contracts.Chunking.MAX_OVERLAP_TOKENS);
        ConfigLookup.requireRange(LOCAL_THREADS, localThreads, 0, 256);
        if (!LocalModels.FP32.equals(localVariant) && !LocalModels.INT8.equals(localVariant)) {
            throw new ConfigException(LOCAL_VARIANT, "'" + localVariant + "' is not a variant of the bundled model"
                    + " (known: " + LocalModels.INT8 + ", " + LocalModels.FP32 + ")");
        }
        ConfigLookup.requirePositive(RETRY_BACKOFF_MAX, retryBackoffMax);
        ConfigLookup.requireRange(POLL_RECORDS, pollRecords, 1, 100_000);
        if (pollRecords < batchDocuments) {
            throw new ConfigException(POLL_RECORDS, "is " + pollRecords + ", less than " + BATCH_DOCUMENTS + " ("
                    + batchDocuments + "): a poll must hold at least one embedding batch");
        }
    }

    public static EmbedderConfig from(ConfigLookup c) {
        int batchDocuments = c.integer(BATCH_DOCUMENTS, DEFAULT_BATCH_DOCUMENTS);
        String provider = c.string(PROVIDER, PROVIDER_LOCAL);
        // A paid API's batch is its own poll: a retried poll re-embeds (and pays for) all of it.
        int defaultPoll = PROVIDER_LOCAL.equals(provider) ? Math.max(DEFAULT_POLL_RECORDS, batchDocuments) : batchDocuments;
        return new EmbedderConfig(
                provider,
                c.string(GROUP_ID, DEFAULT_GROUP_ID),
                batchDocuments,
                c.integer(CHUNK_OVERLAP_TOKENS, DEFAULT_CHUNK_OVERLAP_TOKENS),
                c.integer(LOCAL_THREADS, DEFAULT_LOCAL_THREADS),
                c.string(LOCAL_VARIANT, DEFAULT_LOCAL_VARIANT),
                c.duration(RETRY_BACKOFF_MAX, DEFAULT_RETRY_BACKOFF_MAX),
                c.bool(CREATE_COLLECTIONS, DEFAULT_CREATE_COLLECTIONS),
                c.integer(POLL_RECORDS, defaultPoll));
    }

    /** A copy for another consumer group, with another chunk overlap, creating collections or not. */
    public EmbedderConfig forGroup(String group, int overlapTokens, boolean create) {
        return new EmbedderConfig(provider, group, batchDocuments, overlapTokens, localThreads, localVariant,
                retryBackoffMax, create, pollRecords);
    }

    /** The local model's options: {@link #localThreads()} sessions, or one per core. */
    public LocalModelOptions localModelOptions() {
        return localThreads > 0 ? LocalModelOptions.withThreads(localThreads) : LocalModelOptions.defaults();
    }

    /** The chunking settings that, with the model, decide a text's vectors (part of the content hash). */
    public String chunkingKey() {
        return dev.embedstream.contracts.Chunking.key(chunkOverlapTokens);
    }
}
