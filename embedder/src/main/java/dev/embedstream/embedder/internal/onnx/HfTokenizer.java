package dev.embedstream.embedder.internal.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The model's own HuggingFace tokenizer (DJL bindings), configured to neither truncate nor pad:
 * the engine enforces the window itself and pads per batch. Thread-safe: the native tokenizer is
 * immutable once built.
 */
final class HfTokenizer implements AutoCloseable {

    /** DJL reads this (environment first, then system property) before it pings a metadata endpoint. */
    private static final String DJL_TRACKING_OPT_OUT = "OPT_OUT_TRACKING";

    private final HuggingFaceTokenizer tokenizer;
    private final int specialTokens;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        requireNoTruncationOrPadding(tokenizer);
        this.tokenizer = tokenizer;
        this.specialTokens = encodeRaw("").getIds().length;
    }

    /** A DJL upgrade that ignored our options would silently cut texts; refuse to start instead. */
    private static void requireNoTruncationOrPadding(HuggingFaceTokenizer tokenizer) {
        if (!"DO_NOT_TRUNCATE".equals(tokenizer.getTruncation()) || !"DO_NOT_PAD".equals(tokenizer.getPadding())) {
            throw new IllegalStateException("tokenizer still truncates (" + tokenizer.getTruncation()
                    + ") or pads (" + tokenizer.getPadding() + ") after both were switched off");
        }
    }

    static HfTokenizer fromClasspath(String resource) {
        optOutOfDjlTracking();
        try (InputStream in = ClasspathResources.open(resource)) {
            return checked(HuggingFaceTokenizer.newInstance(in, options()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer '" + resource + "'", e);
        }
    }

    private static HfTokenizer checked(HuggingFaceTokenizer tokenizer) {
        try {
            return new HfTokenizer(tokenizer);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The shipped tokenizer.json truncates to 128 tokens and pads to 128: both would silently change
     * what the model sees, so both are switched off here.
     */
    private static Map<String, String> options() {
        return Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true");
    }

    /**
     * DJL "calls home" (EC2 metadata endpoint) whenever a tokenizer is created; an offline engine
     * must not touch the network. An explicit choice by the operator is left alone.
     */
    private static void optOutOfDjlTracking() {
        if (System.getenv(DJL_TRACKING_OPT_OUT) == null && System.getProperty(DJL_TRACKING_OPT_OUT) == null) {
            System.setProperty(DJL_TRACKING_OPT_OUT, "true");
        }
    }

    /** Special tokens around every text ({@code [CLS]} and {@code [SEP]} for BERT). */
    int specialTokens() {
        return specialTokens;
    }

    int count(String text) {
        return encodeRaw(text).getIds().length;
    }

    Tokens encode(String text) {
        Encoding encoding = encodeRaw(text);
        return new Tokens(encoding.getIds(), encoding.getTypeIds(), contentSpans(text, encoding));
    }

    private Encoding encodeRaw(String text) {
        return tokenizer.encode(text, true, false);
    }

    private static TokenSpans contentSpans(String text, Encoding encoding) {
        long[] special = encoding.getSpecialTokenMask();
        CharSpan[] spans = encoding.getCharTokenSpans();
        long[] words = encoding.getWordIds();
        int[] utf16 = utf16Offsets(text);
        int content = countContent(special);
        int[] starts = new int[content];
        int[] ends = new int[content];
        boolean[] startsWord = new boolean[content];
        int k = 0;
        for (int i = 0; i < special.length; i++) {
            if (special[i] != 0) {
                continue;
            }
            CharSpan span = requireSpan(spans[i], i, text);
            starts[k] = toUtf16(utf16, span.getStart());
            ends[k] = toUtf16(utf16, span.getEnd());
            startsWord[k] = k == 0 || words[i] != words[i - 1];
            k++;
        }
        return new TokenSpans(starts, ends, startsWord);
    }

    private static int countContent(long[] special) {
        int content = 0;
        for (long s : special) {
            if (s == 0) {
                content++;
            }
        }
        return content;
    }

    private static CharSpan requireSpan(CharSpan span, int token, String text) {
        if (span == null) {
            throw new IllegalStateException("tokenizer gave no character span for content token " + token
                    + " of a text of " + text.length() + " chars");
        }
        return span;
    }

    /**
     * The tokenizer reports offsets in code points; Java strings index UTF-16 units. They differ only
     * when the text holds supplementary characters (emoji, rare CJK), so the table is built only then.
     *
     * @return UTF-16 offset of each code point offset, or {@code null} when both are the same
     */
    private static int[] utf16Offsets(String text) {
        if (!hasSurrogates(text)) {
            return null;
        }
        int[] offsets = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            offsets[cp++] = i;
        }
        offsets[cp] = text.length();
        return offsets;
    }

    private static boolean hasSurrogates(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static int toUtf16(int[] utf16, int codePointOffset) {
        return utf16 == null ? codePointOffset : utf16[codePointOffset];
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
