package dev.embedstream.embedder.internal.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The cl100k_base tokenizer of OpenAI's embedding models: real token counts (not a byte estimate)
 * and chunking of long texts at token boundaries, cut in the original text so nothing is altered.
 */
public final class Cl100kTokens {

    /** Margin below the window for re-tokenisation drift at cut points. */
    private static final int CUT_MARGIN = 8;
    private static final Encoding ENCODING =
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public int count(String text) {
        return ENCODING.countTokensOrdinary(text);
    }

    /** Pieces of at most {@code window} tokens, consecutive ones sharing about {@code overlap} tokens. */
    public List<String> chunk(String text, int window, int overlap) {
        if (overlap < 0 || overlap >= window / 2) {
            throw new IllegalArgumentException("overlap must be in 0.." + (window / 2 - 1) + ", got " + overlap);
        }
        IntArrayList tokens = ENCODING.encodeOrdinary(text);
        if (tokens.size() <= window) {
            return List.of(text);
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] ends = byteEnds(tokens);
        List<String> pieces = new ArrayList<>();
        int step = window - CUT_MARGIN;
        for (int start = 0; start < tokens.size(); ) {
            int end = Math.min(tokens.size(), start + step);
            pieces.add(fitted(utf8, start == 0 ? 0 : ends[start - 1], ends[end - 1], window));
            if (end == tokens.size()) {
                break;
            }
            start = end - overlap;
        }
        return pieces;
    }

    private String fitted(byte[] utf8, int from, int to, int window) {
        int start = charStart(utf8, from, true);
        int end = charStart(utf8, to, false);
        String piece = new String(utf8, start, end - start, StandardCharsets.UTF_8);
        while (count(piece) > window) {
            piece = piece.substring(0, piece.length() - Math.max(1, piece.length() / 50));
        }
        return piece;
    }

    /** Moves an offset off a UTF-8 continuation byte: forward for a start, backward for an end. */
    private static int charStart(byte[] utf8, int offset, boolean forward) {
        int i = Math.min(offset, utf8.length);
        while (i > 0 && i < utf8.length && (utf8[i] & 0xC0) == 0x80) {
            i += forward ? 1 : -1;
        }
        return i;
    }

    private static int[] byteEnds(IntArrayList tokens) {
        int[] ends = new int[tokens.size()];
        IntArrayList one = new IntArrayList(1);
        int total = 0;
        for (int i = 0; i < tokens.size(); i++) {
            one.clear();
            one.add(tokens.get(i));
            total += ENCODING.decodeBytes(one).length;
            ends[i] = total;
        }
        return ends;
    }
}
