package dev.embedstream.contracts;

/** Small text helpers for messages that quote user input without flooding logs. */
public final class Texts {

    private static final int QUOTE_LIMIT = 80;

    private Texts() {
    }

    /** A URL without user info or query string, which may carry credentials, for logs and messages. */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        String noQuery = url.replaceFirst("\\?.*$", "");
        return noQuery.replaceFirst("//[^/@]*@", "//");
    }

    /** The value in quotes, shortened, with control characters made visible. */
    public static String quoteForMessage(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > QUOTE_LIMIT ? value.substring(0, QUOTE_LIMIT) + "…" : value;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}
