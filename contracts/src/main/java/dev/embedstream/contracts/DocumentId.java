package dev.embedstream.contracts;

import java.nio.charset.StandardCharsets;

/** Rules for document ids: any non-blank text up to {@link #MAX_BYTES} UTF-8 bytes, no control characters. */
public final class DocumentId {

    public static final int MAX_BYTES = 512;

    private DocumentId() {
    }

    /** Returns the id, or throws {@link InvalidInputException} saying what is wrong with it. */
    public static String requireValid(String id) {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("missing document id");
        }
        // A UTF-16 unit is at most 3 UTF-8 bytes: short ids need no encoding to be measured.
        if (id.length() * 3 > MAX_BYTES && id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("document id longer than " + MAX_BYTES + " bytes: "
                    + Texts.quoteForMessage(id));
        }
        if (hasControl(id)) {
            throw new InvalidInputException("document id contains control characters: " + Texts.quoteForMessage(id));
        }
        return id;
    }

    private static boolean hasControl(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
