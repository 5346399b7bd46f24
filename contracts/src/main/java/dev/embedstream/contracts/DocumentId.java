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
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("document id longer than " + MAX_BYTES + " bytes: "
                    + Texts.quoteForMessage(id));
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("document id contains control characters: " + Texts.quoteForMessage(id));
        }
        return id;
    }
}
