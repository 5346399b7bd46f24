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

    private static final Encoding ENCODING =
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public int count(String text) {
        return ENCODING.countTokensOrdinary(text);
    }

    /**
     * Pieces of at most {@code window} tokens, consecutive ones sharing {@code overlap} tokens. Cuts
     * fall between tokens of the original text and widen to whole characters, so every character of
     * the text is in some piece; a piece that re-tokenises longer than the window gives up tokens.
     */
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
        int start = 0;
        while (true) {
            int end = Math.min(tokens.size(), start + window);
            String piece = slice(utf8, ends, start, end);
            while (count(piece) > window && end > start + 1) {
                end--;
                piece = slice(utf8, ends, start, end);
            }
            pieces.add(piece);
            if (end == tokens.size()) {
                return pieces;
            }
            start = Math.max(start + 1, end - overlap);
        }
    }

    /** The text of tokens [from, to), widened to whole UTF-8 characters at both ends. */
    private static String slice(byte[] utf8, int[] ends, int from, int to) {
        int start = from == 0 ? 0 : ends[from - 1];
        int end = ends[to - 1];
        while (start > 0 && (utf8[start] & 0xC0) == 0x80) {
            start--;
        }
        while (end < utf8.length && (utf8[end] & 0xC0) == 0x80) {
            end++;
        }
        return new String(utf8, start, end - start, StandardCharsets.UTF_8);
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
