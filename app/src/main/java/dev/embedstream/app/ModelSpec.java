package dev.embedstream.app;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.embedder.LocalModels;
import dev.embedstream.writer.Generation;

/**
 * A model as a person names it: {@code all-minilm-l6-v2} (bundled, runs offline),
 * {@code openai:text-embedding-3-small}, or the bare name of a model served by the configured
 * OpenAI-compatible endpoint; {@code dimensions} 0 means the model's own width.
 */
public record ModelSpec(String provider, String name, int dimensions) {

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

    /** Parses {@code [provider:]name}; a bare name is local when a bundled model has it, else openai. */
    public static ModelSpec parse(String text, int dimensions) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("missing model, e.g. all-minilm-l6-v2 or openai:text-embedding-3-small");
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            return new ModelSpec(text.substring(0, colon), text.substring(colon + 1), dimensions);
        }
        String provider = LocalModels.ALL_MINILM_L6_V2.name().equals(text) ? Generation.PROVIDER_LOCAL
                : Generation.PROVIDER_OPENAI;
        return new ModelSpec(provider, text, dimensions);
    }

    @Override
    public String toString() {
        return provider + ":" + name + (dimensions > 0 ? " (" + dimensions + " dimensions)" : "");
    }
}
