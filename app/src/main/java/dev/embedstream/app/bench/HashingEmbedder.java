package dev.embedstream.app.bench;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.EmbeddingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A zero-cost, deterministic embedder: a text's vector is a unit vector seeded by the text's hash.
 * It makes the pipeline's own overhead (Kafka, batching, hashing, the writer) measurable without a
 * model's cost on top.
 */
final class HashingEmbedder implements EmbeddingProvider {

    static final ModelId MODEL = new ModelId("bench-hash", "fp32", 384, 512);

    @Override
    public ModelId model() {
        return MODEL;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            vectors.add(WriterBench.unitVector(new SplittableRandom(text.hashCode()), MODEL.dimensions()));
        }
        return vectors;
    }

    @Override
    public int countTokens(String text) {
        // an upper bound for whitespace-separated words; the bench texts are far below the window
        return text.length() / 4 + 2;
    }

    @Override
    public List<String> chunk(String text, int overlapTokens) {
        if (countTokens(text) > MODEL.maxTokens()) {
            throw new IllegalArgumentException("bench text longer than the hashing embedder's window");
        }
        return List.of(text);
    }

    @Override
    public void close() {
        // nothing held
    }
}
