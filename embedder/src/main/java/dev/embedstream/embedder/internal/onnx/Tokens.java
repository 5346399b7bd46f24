package dev.embedstream.embedder.internal.onnx;

/**
 * One text as the model sees it.
 *
 * @param ids     token ids, special tokens included, neither truncated nor padded
 * @param typeIds segment ids, parallel to {@code ids}
 * @param spans   positions of the content tokens in the original text
 */
record Tokens(long[] ids, long[] typeIds, TokenSpans spans) {

    Tokens {
        if (ids.length != typeIds.length) {
            throw new IllegalArgumentException(
                    "ids and typeIds differ in length: " + ids.length + " vs " + typeIds.length);
        }
    }

    int count() {
        return ids.length;
    }
}
