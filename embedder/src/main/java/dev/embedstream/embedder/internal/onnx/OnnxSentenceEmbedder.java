package dev.embedstream.embedder.internal.onnx;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.EmbeddingProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A sentence-transformers model (BERT encoder, mean pooling, L2 normalisation) run in-process with
 * ONNX Runtime and the model's own HuggingFace tokenizer. Texts are batched by similar length so
 * that padding stays small; a text over the window is rejected, never truncated.
 */
public final class OnnxSentenceEmbedder implements EmbeddingProvider {

    private final ModelId model;
    private final HfTokenizer tokenizer;
    private final OnnxEncoder encoder;
    private final TokenChunker chunker;
    private final int maxBatchSize;

    // Native session and tokenizer must not be freed while a call uses them: calls share the read
    // lock, close() takes the write lock and so waits for calls in flight.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private OnnxSentenceEmbedder(ModelId model, HfTokenizer tokenizer, OnnxEncoder encoder, int maxBatchSize) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.chunker = new TokenChunker(tokenizer, model.maxTokens());
        this.maxBatchSize = maxBatchSize;
    }

    /**
     * Loads a model whose ONNX file and tokenizer.json are classpath resources.
     *
     * @param model             identity recorded with every vector; its window and dimensions are enforced
     * @param onnxResource      the ONNX export, with inputs input_ids/attention_mask[/token_type_ids] and
     *                          output last_hidden_state
     * @param tokenizerResource the HuggingFace tokenizer.json matching the model
     */
    public static OnnxSentenceEmbedder load(ModelId model, String onnxResource, String tokenizerResource,
            int intraOpThreads, int maxBatchSize) {
        Objects.requireNonNull(model, "model");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be positive, got " + intraOpThreads);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
        }
        HfTokenizer tokenizer = HfTokenizer.fromClasspath(tokenizerResource);
        try {
            OnnxEncoder encoder = OnnxEncoder.fromClasspath(onnxResource, intraOpThreads, model.dimensions());
            return new OnnxSentenceEmbedder(model, tokenizer, encoder, maxBatchSize);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public ModelId model() {
        return model;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            return List.of();
        }
        return whileOpen(() -> embedOpen(texts));
    }

    @Override
    public int countTokens(String text) {
        Objects.requireNonNull(text, "text");
        return whileOpen(() -> tokenizer.count(text));
    }

    @Override
    public List<String> chunk(String text, int overlapTokens) {
        Objects.requireNonNull(text, "text");
        return whileOpen(() -> chunker.chunk(text, overlapTokens));
    }

    private List<float[]> embedOpen(List<String> texts) {
        List<Tokens> tokens = tokenizeWithinWindow(texts);
        float[][] vectors = new float[texts.size()][];
        List<Integer> order = byLength(tokens);
        for (int from = 0; from < order.size(); from += maxBatchSize) {
            List<Integer> rows = order.subList(from, Math.min(from + maxBatchSize, order.size()));
            embedBatch(tokens, rows, vectors);
        }
        return List.of(vectors);
    }

    /** Tokenises every text once; the tokens are reused for batching and inference. */
    private List<Tokens> tokenizeWithinWindow(List<String> texts) {
        List<Tokens> tokens = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new NullPointerException("text at index " + i + " is null");
            }
            tokens.add(requireWithinWindow(tokenizer.encode(text), i));
        }
        return tokens;
    }

    private Tokens requireWithinWindow(Tokens tokens, int index) {
        if (tokens.count() > model.maxTokens()) {
            throw new IllegalArgumentException("text at index " + index + " has " + tokens.count()
                    + " tokens, over the " + model.maxTokens() + "-token window of " + model.key()
                    + "; chunk it first (EmbeddingProvider.chunk)");
        }
        return tokens;
    }

    /** Indices sorted by token count, so each batch pads to a length close to all its texts. */
    private static List<Integer> byLength(List<Tokens> tokens) {
        Integer[] order = new Integer[tokens.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> tokens.get(i).count()));
        return Arrays.asList(order);
    }

    private void embedBatch(List<Tokens> tokens, List<Integer> rows, float[][] vectors) {
        List<Tokens> batch = new ArrayList<>(rows.size());
        rows.forEach(row -> batch.add(tokens.get(row)));
        float[][] embedded = encoder.embed(PaddedBatch.of(batch));
        for (int i = 0; i < rows.size(); i++) {
            vectors[rows.get(i)] = embedded[i];
        }
    }

    private <T> T whileOpen(Supplier<T> call) {
        Lock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("embedding provider " + model.key() + " is closed");
            }
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    /** Releases the ONNX session and the native tokenizer once; waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeBoth();
        } finally {
            lock.unlock();
        }
    }

    private void closeBoth() {
        try {
            encoder.close();
        } finally {
            tokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxSentenceEmbedder[" + model.key() + ", window " + model.maxTokens() + ", batch "
                + maxBatchSize + "]";
    }
}
