package dev.embedstream.contracts;

import java.util.regex.Pattern;

/** SQL identifiers that come from config or input: validated against a strict pattern, then quoted. */
public final class SqlIdentifiers {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private SqlIdentifiers() {
    }

    /** Returns the identifier double-quoted, or throws {@link InvalidInputException} naming it. */
    public static String quote(String identifier) {
        if (identifier == null || !SAFE.matcher(identifier).matches()) {
            throw new InvalidInputException("unsafe SQL identifier " + Texts.quoteForMessage(identifier)
                    + ": use up to 63 characters of letters, digits and _, not starting with a digit");
        }
        return '"' + identifier + '"';
    }

    /** {@code "schema"."name"}, both parts validated. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
