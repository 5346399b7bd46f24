package dev.embedstream.embedder.internal.onnx;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.LocalModelOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A sentence-transformers model (BERT encoder, mean pooling, L2 normalisation) run in-process with
 * ONNX Runtime and the model's own HuggingFace tokenizer. Each text is tokenized once; texts are
 * batched by similar length so that padding stays small, and the batches of one call run in parallel
 * on a pool of sessions; a text over the window is rejected, never truncated.
 */
public final class OnnxSentenceEmbedder implements EmbeddingProvider {

    /** More than the embedder's largest batch (10,000 documents), so a batch's tokens survive until embedded. */
    private static final int REMEMBERED_TEXTS = 16_384;
    private static final long REMEMBERED_CHARS = 16L * 1024 * 1024;

    private final ModelId model;
    private final HfTokenizer tokenizer;
    private final EncoderPool encoders;
    private final TokenChunker chunker;
    private final int maxBatchSize;
    // The embedder asks for a text's chunks, then embeds them: a text that fits whole is tokenized
    // by the first call and its tokens taken by the second.
    private final Map<String, Tokens> tokenizedWhole = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong rememberedChars = new java.util.concurrent.atomic.AtomicLong();

    // Native session and tokenizer must not be freed while a call uses them: calls share the read
    // lock, close() takes the write lock and so waits for calls in flight.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle

    private OnnxSentenceEmbedder(ModelId model, HfTokenizer tokenizer, EncoderPool encoders, int maxBatchSize) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoders = encoders;
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
     * @param options           sessions, their threads and the batch size
     */
    public static OnnxSentenceEmbedder load(ModelId model, String onnxResource, String tokenizerResource,
            LocalModelOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        HfTokenizer tokenizer = HfTokenizer.fromClasspath(tokenizerResource);
        try {
            EncoderPool encoders = EncoderPool.load(model.key(), onnxResource, options.sessions(),
                    options.intraOpThreads(), model.dimensions());
            return new OnnxSentenceEmbedder(model, tokenizer, encoders, options.maxBatchSize());
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
        return whileOpen(() -> chunkOpen(text, overlapTokens));
    }

    private List<String> chunkOpen(String text, int overlapTokens) {
        Tokens tokens = tokenizer.encode(text);
        List<String> chunks = chunker.chunk(text, tokens, overlapTokens);
        if (chunks.size() == 1) {
            rememberWhole(text, tokens);
        }
        return chunks;
    }

    private void rememberWhole(String text, Tokens tokens) {
        // Texts chunked but never embedded (a caller that gave up) must not pile up: bounded by count
        // and by characters (a text of a few tokens can still be 512 KB of whitespace).
        if (tokenizedWhole.size() >= REMEMBERED_TEXTS || rememberedChars.addAndGet(text.length()) > REMEMBERED_CHARS) {
            tokenizedWhole.clear();
            rememberedChars.set(text.length());
        }
        tokenizedWhole.put(text, tokens);
    }

    private List<float[]> embedOpen(List<String> texts) {
        requireNoNulls(texts);
        float[][] vectors = new float[texts.size()][];
        List<Integer> order = longestFirst(texts);
        List<Runnable> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += maxBatchSize) {
            List<Integer> rows = order.subList(from, Math.min(from + maxBatchSize, order.size()));
            batches.add(() -> embedBatch(texts, rows, vectors));
        }
        encoders.runAll(batches);
        return List.of(vectors);
    }

    private static void requireNoNulls(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new NullPointerException("text at index " + i + " is null");
            }
        }
    }

    /**
     * Indices by text length, longest first: each batch holds texts of similar length, so padding stays
     * small, and the longest batches start first, so the sessions finish a call at about the same time.
     * Characters stand in for tokens here because each batch is tokenized on its own session's thread.
     */
    private static List<Integer> longestFirst(List<String> texts) {
        Integer[] order = new Integer[texts.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> texts.get(i).length()).reversed());
        return Arrays.asList(order);
    }

    /** Runs on a pool thread: tokenizes its rows (once), embeds them, writes their rows of {@code vectors}. */
    private void embedBatch(List<String> texts, List<Integer> rows, float[][] vectors) {
        List<Tokens> batch = new ArrayList<>(rows.size());
        for (int row : rows) {
            batch.add(requireWithinWindow(tokens(texts.get(row)), row));
        }
        float[][] embedded = encoders.embed(PaddedBatch.of(batch));
        for (int i = 0; i < rows.size(); i++) {
            vectors[rows.get(i)] = embedded[i];
        }
    }

    private Tokens tokens(String text) {
        Tokens known = tokenizedWhole.remove(text);
        return known != null ? known : tokenizer.encode(text);
    }

    private Tokens requireWithinWindow(Tokens tokens, int index) {
        if (tokens.count() > model.maxTokens()) {
            throw new IllegalArgumentException("text at index " + index + " has " + tokens.count()
                    + " tokens, over the " + model.maxTokens() + "-token window of " + model.key()
                    + "; chunk it first (EmbeddingProvider.chunk)");
        }
        return tokens;
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
            encoders.close();
        } finally {
            tokenizer.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxSentenceEmbedder[" + model.key() + ", window " + model.maxTokens() + ", batch "
                + maxBatchSize + ", " + encoders + "]";
    }
}
