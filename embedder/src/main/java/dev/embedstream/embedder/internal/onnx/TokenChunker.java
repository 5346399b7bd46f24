package dev.embedstream.embedder.internal.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts texts that exceed the model window into overlapping pieces of the original text, at token
 * boundaries. Pieces are substrings of the input, so what is stored is what was embedded.
 */
final class TokenChunker {

    private final HfTokenizer tokenizer;
    private final int maxTokens;
    private final int contentBudget;

    TokenChunker(HfTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.contentBudget = maxTokens - tokenizer.specialTokens();
        if (contentBudget < 1) {
            throw new IllegalArgumentException("a window of " + maxTokens + " tokens leaves no room beside "
                    + tokenizer.specialTokens() + " special tokens");
        }
    }

    List<String> chunk(String text, int overlapTokens) {
        return chunk(text, tokenizer.encode(text), overlapTokens);
    }

    /** Chunks a text its caller has tokenized already. */
    List<String> chunk(String text, Tokens tokens, int overlapTokens) {
        checkOverlap(overlapTokens);
        if (tokens.count() <= maxTokens) {
            return List.of(text);
        }
        return cut(text, tokens.spans(), overlapTokens);
    }

    /** Below half the window, so every piece advances by more than it repeats. */
    private void checkOverlap(int overlapTokens) {
        int limit = maxTokens / 2;
        if (overlapTokens < 0 || overlapTokens >= limit) {
            throw new IllegalArgumentException("overlapTokens must be in 0.." + (limit - 1)
                    + " (below half the " + maxTokens + "-token window), got " + overlapTokens);
        }
    }

    private List<String> cut(String text, TokenSpans spans, int overlap) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (true) {
            // The next piece starts overlap tokens before this one ends, and must start after this one.
            int minEnd = start + overlap + 1;
            int end = wordStartAtOrBefore(spans, Math.min(start + contentBudget, spans.size()), minEnd);
            end = shrinkToFit(text, spans, start, end, minEnd);
            pieces.add(piece(text, spans, start, end));
            if (end == spans.size()) {
                return List.copyOf(pieces);
            }
            start = wordStartAtOrBefore(spans, end - overlap, start + 1);
        }
    }

    /**
     * The closest token at or before {@code token} (not below {@code floor}) that begins a word, or
     * {@code token} itself when a single word spans the whole range; the end of the text always qualifies.
     */
    private static int wordStartAtOrBefore(TokenSpans spans, int token, int floor) {
        if (token >= spans.size()) {
            return spans.size();
        }
        for (int t = token; t >= floor; t--) {
            if (spans.startsWord(t)) {
                return t;
            }
        }
        return token;
    }

    /**
     * Re-tokenising a piece on its own can differ from the slice it was cut from (a cut inside an
     * over-long word, normaliser edge cases), so each piece is counted again and trimmed until it fits.
     */
    private int shrinkToFit(String text, TokenSpans spans, int start, int end, int minEnd) {
        int candidate = end;
        while (true) {
            int count = tokenizer.count(piece(text, spans, start, candidate));
            if (count <= maxTokens) {
                return candidate;
            }
            if (candidate <= minEnd) {
                throw new IllegalStateException("cannot cut a piece of at most " + maxTokens
                        + " tokens starting at char " + spans.start(start) + "; it still has " + count);
            }
            int trimmed = Math.max(minEnd, candidate - (count - maxTokens));
            candidate = wordStartAtOrBefore(spans, trimmed, minEnd);
        }
    }

    /** Content tokens {@code [start, end)} as they appear in the original text. */
    private static String piece(String text, TokenSpans spans, int start, int end) {
        return text.substring(spans.start(start), spans.end(end - 1));
    }
}
