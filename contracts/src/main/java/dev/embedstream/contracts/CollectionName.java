package dev.embedstream.contracts;

import java.util.regex.Pattern;

/**
 * Rules for collection names. A collection name becomes part of SQL identifiers, so only a small,
 * safe alphabet is accepted, and short enough that derived table names fit PostgreSQL's 63 bytes.
 */
public final class CollectionName {

    public static final int MAX_LENGTH = 40;
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    private CollectionName() {
    }

    public static boolean isValid(String name) {
        // Checked for every document: a loop over at most 40 chars, where the regex allocated a matcher.
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || !lower(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!lower(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean lower(char c) {
        return c >= 'a' && c <= 'z';
    }

    /** The same rule as a regular expression, for documentation and schemas. */
    public static Pattern pattern() {
        return VALID;
    }

    /** Returns the name, or throws {@link InvalidInputException} saying what is wrong with it. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new InvalidInputException("invalid collection name " + Texts.quoteForMessage(name)
                    + ": use 1-" + MAX_LENGTH + " characters of a-z, 0-9 and _, starting with a letter");
        }
        return name;
    }
}
