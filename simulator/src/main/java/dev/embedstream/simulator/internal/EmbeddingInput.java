package dev.embedstream.simulator.internal;

import java.util.Arrays;

/** One input of a request: either text, or token ids that OpenAI accepts in place of text. */
record EmbeddingInput(String text, int[] tokenIds) {

    static EmbeddingInput ofText(String text) {
        return new EmbeddingInput(text, null);
    }

    static EmbeddingInput ofTokens(int[] tokenIds) {
        return new EmbeddingInput(null, tokenIds);
    }

    boolean isText() {
        return text != null;
    }

    boolean isEmpty() {
        return isText() ? text.isEmpty() : tokenIds.length == 0;
    }

    /** Token ids are counted exactly; text is estimated as cl100k would count it. */
    int tokenCount() {
        return isText() ? TokenEstimator.count(text) : tokenIds.length;
    }

    /** What the vector is derived from; the prefix keeps token ids from colliding with a text that spells them. */
    String vectorKey() {
        return isText() ? "text:" + text : "tokens:" + Arrays.toString(tokenIds);
    }

    boolean contains(String marker) {
        return isText() && text.contains(marker);
    }
}
