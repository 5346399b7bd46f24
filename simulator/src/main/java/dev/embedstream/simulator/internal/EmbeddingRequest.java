package dev.embedstream.simulator.internal;

import java.util.List;

/** A validated {@code POST /v1/embeddings} body with its token count already charged per input. */
record EmbeddingRequest(ModelSpec model, List<EmbeddingInput> inputs, int[] tokensPerInput, int dimensions,
                        boolean base64) {

    int totalTokens() {
        int total = 0;
        for (int tokens : tokensPerInput) {
            total += tokens;
        }
        return total;
    }
}
