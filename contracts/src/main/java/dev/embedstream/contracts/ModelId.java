package dev.embedstream.contracts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity of an embedding model: every vector records the model that made it, so vectors of two
 * models (or two variants of one model, e.g. fp32 and int8) are never mixed in one index.
 *
 * @param name       model name, e.g. {@code all-minilm-l6-v2} or {@code text-embedding-3-small}
 * @param variant    precision or deployment variant, e.g. {@code fp32}, {@code int8}, {@code api}
 * @param dimensions length of every vector the model produces
 * @param maxTokens  the model's input window in its own tokens; longer texts are chunked, never cut
 */
public record ModelId(String name, String variant, int dimensions, int maxTokens) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    public ModelId {
        Objects.requireNonNull(name, "model name");
        Objects.requireNonNull(variant, "model variant");
        if (!PART.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid model name '" + name + "'");
        }
        if (!PART.matcher(variant).matches()) {
            throw new IllegalArgumentException("invalid model variant '" + variant + "'");
        }
        if (dimensions < 1 || dimensions > 16_000) {
            throw new IllegalArgumentException("model dimensions must be in 1..16000, got " + dimensions);
        }
        if (maxTokens < 8) {
            throw new IllegalArgumentException("model maxTokens must be at least 8, got " + maxTokens);
        }
    }

    /** Stable text form stored with every vector, e.g. {@code all-minilm-l6-v2@fp32/384}. */
    public String key() {
        return name + "@" + variant + "/" + dimensions;
    }
}
