package dev.embedstream.embedder;

import dev.embedstream.contracts.ModelId;
import java.util.List;

/** Turns texts into vectors. Implementations are thread-safe. */
public interface EmbeddingProvider extends AutoCloseable {

    /** The model every vector of this provider comes from. */
    ModelId model();

    /**
     * Embeds texts, one vector per text in the same order. Each text must fit the model's window
     * ({@link #countTokens(String)} &le; {@code model().maxTokens()}); callers chunk longer texts.
     */
    List<float[]> embed(List<String> texts);

    /**
     * Embeds texts, reporting per input either its vector or why it can never be embedded (the
     * provider refused that input, or kept returning a broken vector for it). Transient trouble
     * (rate limits, outages) is not reported here: it is waited out, or thrown as
     * {@link ProviderUnavailableException} for the caller to retry later.
     */
    default List<EmbeddingResult> embedEach(List<String> texts) {
        return embed(texts).stream().map(EmbeddingResult::ok).toList();
    }

    /** Tokens the model sees for this text, special tokens included. */
    int countTokens(String text);

    /**
     * Splits a text into pieces that each fit the model's window, cutting at token boundaries,
     * consecutive pieces overlapping by {@code overlapTokens}. A text that fits is returned whole.
     */
    List<String> chunk(String text, int overlapTokens);

    @Override
    void close();
}
