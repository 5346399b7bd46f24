package dev.embedstream.embedder.internal.onnx;

/**
 * Where each content token (special tokens excluded) lies in the original text, as UTF-16 offsets
 * usable with {@link String#substring(int, int)}.
 */
final class TokenSpans {

    private final int[] starts;
    private final int[] ends;
    private final boolean[] startsWord;

    TokenSpans(int[] starts, int[] ends, boolean[] startsWord) {
        if (starts.length != ends.length || starts.length != startsWord.length) {
            throw new IllegalArgumentException("span arrays differ in length: " + starts.length + ", "
                    + ends.length + ", " + startsWord.length);
        }
        this.starts = starts;
        this.ends = ends;
        this.startsWord = startsWord;
    }

    int size() {
        return starts.length;
    }

    int start(int token) {
        return starts[token];
    }

    int end(int token) {
        return ends[token];
    }

    /**
     * Whether a word begins at this token. Cutting only here keeps re-tokenisation of a piece
     * identical to the tokens it was cut from (word pieces like {@code ##ing} never lose their head).
     */
    boolean startsWord(int token) {
        return startsWord[token];
    }
}
