package dev.embedstream.embedder.internal.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * Texts of one inference call as row-major {@code [size, length]} arrays, padded to the longest
 * text of the batch only (dynamic padding), not to the window: attention cost grows with length.
 */
record PaddedBatch(int size, int length, long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {

    /** BERT's {@code [PAD]} id; padded positions are masked out, so only the mask really matters. */
    private static final long PAD_ID = 0L;

    static PaddedBatch of(List<Tokens> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one text");
        }
        int size = texts.size();
        int length = texts.stream().mapToInt(Tokens::count).max().orElseThrow();
        long[] ids = new long[size * length];
        long[] mask = new long[size * length];
        long[] types = new long[size * length];
        for (int row = 0; row < size; row++) {
            copyRow(texts.get(row), row * length, length, ids, mask, types);
        }
        return new PaddedBatch(size, length, ids, mask, types);
    }

    private static void copyRow(Tokens text, int offset, int length, long[] ids, long[] mask, long[] types) {
        int count = text.count();
        System.arraycopy(text.ids(), 0, ids, offset, count);
        System.arraycopy(text.typeIds(), 0, types, offset, count);
        Arrays.fill(mask, offset, offset + count, 1L);
        Arrays.fill(ids, offset + count, offset + length, PAD_ID);
    }

    long[] shape() {
        return new long[] {size, length};
    }
}
