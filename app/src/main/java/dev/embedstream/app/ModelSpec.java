package dev.embedstream.app;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.writer.Generation;

/**
 * A model as a person names it: {@code all-minilm-l6-v2} (bundled, runs offline; {@code @int8} or
 * {@code @fp32} picks a variant, none means the configured one), {@code openai:text-embedding-3-small},
 * or the bare name of a model served by the configured OpenAI-compatible endpoint; {@code dimensions}
 * 0 means the model's own width.
 */
public record ModelSpec(String provider, String name, String variant, int dimensions) {

    public ModelSpec {
        if (!Generation.PROVIDER_LOCAL.equals(provider) && !Generation.PROVIDER_OPENAI.equals(provider)) {
            throw new InvalidInputException("unknown model provider '" + provider + "' (known: local, openai)");
        }
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("missing model name");
        }
        if (dimensions < 0 || dimensions > 16_000) {
            throw new InvalidInputException("dimensions must be in 1..16000, got " + dimensions);
        }
        variant = variant == null ? "" : variant;
        if (!variant.isEmpty() && !Generation.PROVIDER_LOCAL.equals(provider)) {
            throw new InvalidInputException("only the bundled local model has variants; '" + name + "@" + variant
                    + "' is not a model name");
        }
        if (!variant.isEmpty() && !LocalModels.INT8.equals(variant) && !LocalModels.FP32.equals(variant)) {
            throw new InvalidInputException("unknown variant '" + variant + "' of " + name + " (bundled: "
                    + LocalModels.INT8 + ", " + LocalModels.FP32 + ")");
        }
        if (Generation.PROVIDER_LOCAL.equals(provider)) {
            if (!LocalModels.ALL_MINILM_L6_V2.name().equals(name)) {
                throw new InvalidInputException("unknown local model '" + name + "' (bundled: "
                        + LocalModels.ALL_MINILM_L6_V2.name() + ")");
            }
            if (dimensions != 0 && dimensions != LocalModels.ALL_MINILM_L6_V2.dimensions()) {
                throw new InvalidInputException("the local model " + name + " makes " + LocalModels.ALL_MINILM_L6_V2.dimensions()
                        + "-dimension vectors; --dimensions " + dimensions + " is not possible");
            }
        }
    }

    /** A model of {@code provider} in its default variant. */
    public ModelSpec(String provider, String name, int dimensions) {
        this(provider, name, "", dimensions);
    }

    /**
     * Parses {@code [provider:]name[@variant]}; a bare name is local when a bundled model has it, else
     * openai. Only a bundled model's name may carry a variant.
     */
    public static ModelSpec parse(String text, int dimensions) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("missing model, e.g. all-minilm-l6-v2 or openai:text-embedding-3-small");
        }
        int colon = text.indexOf(':');
        String provider = colon > 0 ? text.substring(0, colon) : null;
        String rest = colon > 0 ? text.substring(colon + 1) : text;
        int at = rest.lastIndexOf('@');
        String name = at > 0 ? rest.substring(0, at) : rest;
        String variant = at > 0 ? rest.substring(at + 1) : "";
        if (provider == null) {
            provider = LocalModels.ALL_MINILM_L6_V2.name().equals(name) ? Generation.PROVIDER_LOCAL
                    : Generation.PROVIDER_OPENAI;
        }
        if (Generation.PROVIDER_OPENAI.equals(provider) && at > 0) {
            return new ModelSpec(provider, rest, "", dimensions); // '@' may be part of a served model's name
        }
        return new ModelSpec(provider, name, variant, dimensions);
    }

    @Override
    public String toString() {
        return provider + ":" + name + (variant.isEmpty() ? "" : "@" + variant)
                + (dimensions > 0 ? " (" + dimensions + " dimensions)" : "");
    }
}
