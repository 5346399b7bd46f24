package dev.embedstream.app.internal;

import dev.embedstream.contracts.ModelId;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.EmbeddingResult;
import java.util.List;

/**
 * Stands in for a generation's provider that this process cannot open (its key or settings are
 * missing here): every document for it is dead-lettered with the reason, so nothing is lost and
 * the other collections and models keep flowing.
 */
final class UnavailableProvider implements EmbeddingProvider {

    private final ModelId model;
    private final String reason;

    UnavailableProvider(ModelId model, String reason) {
        this.model = model;
        this.reason = reason;
    }

    @Override
    public ModelId model() {
        return model;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        throw new IllegalStateException(reason);
    }

    @Override
    public List<EmbeddingResult> embedEach(List<String> texts) {
        return texts.stream().map(t -> EmbeddingResult.failed(reason)).toList();
    }

    @Override
    public int countTokens(String text) {
        return 0;
    }

    @Override
    public List<String> chunk(String text, int overlapTokens) {
        return List.of(text);
    }

    @Override
    public void close() {
        // nothing was opened
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnavailableProvider u && u.model.equals(model) && u.reason.equals(reason);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + reason.hashCode();
    }
}
