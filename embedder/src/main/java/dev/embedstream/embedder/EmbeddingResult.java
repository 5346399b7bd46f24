package dev.embedstream.embedder;

/** The outcome for one input: a vector, or the reason it can never be embedded as it is. */
public record EmbeddingResult(float[] vector, String failure) {

    public static EmbeddingResult ok(float[] vector) {
        return new EmbeddingResult(java.util.Objects.requireNonNull(vector), null);
    }

    public static EmbeddingResult failed(String reason) {
        return new EmbeddingResult(null, java.util.Objects.requireNonNull(reason));
    }

    public boolean isOk() {
        return vector != null;
    }
}
