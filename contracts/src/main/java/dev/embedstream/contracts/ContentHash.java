package dev.embedstream.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content hash of what produced a set of vectors. It covers the model (name, variant, dimensions)
 * and the chunking settings as well as the text, so a model change never looks like "nothing to do".
 */
public final class ContentHash {

    private static final String FORMAT = "v1";

    private ContentHash() {
    }

    /** Hex SHA-256 over the model key, the chunking settings and the text. */
    public static String of(ModelId model, String chunking, String text) {
        MessageDigest sha = sha256();
        for (String part : new String[] {FORMAT, model.key(), String.valueOf(model.maxTokens()), chunking, text}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update(intBytes(bytes.length));
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Hex SHA-256 of the text's UTF-8 bytes alone: comparable across models, and computable in SQL
     * ({@code encode(sha256(convert_to(t, 'UTF8')), 'hex')}) so coverage is one query.
     */
    public static String ofText(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The SQL form of {@link #ofText(String)} for a text expression. */
    public static String ofTextSql(String textExpression) {
        return "encode(sha256(convert_to(" + textExpression + ", 'UTF8')), 'hex')";
    }

    private static byte[] intBytes(int n) {
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
