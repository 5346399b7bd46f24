package dev.embedstream.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document to embed, the value of the documents topic (a tombstone, i.e. a null value, deletes it).
 *
 * @param collection where its vectors live; see {@link CollectionName}
 * @param id         unique within the collection
 * @param text       the text to embed; never empty
 * @param metadata   free-form JSON object stored beside the vectors; empty when absent
 * @param version    optional, non-negative; an older version never overwrites a newer one
 */
public record Document(String collection, String id, String text, Map<String, Object> metadata, Long version) {

    /** Upper bound for one document's text; longer texts are split by their producer. */
    public static final int MAX_TEXT_BYTES = 512 * 1024;

    public Document {
        CollectionName.requireValid(collection);
        DocumentId.requireValid(id);
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " has empty text");
        }
        // A UTF-16 unit is at most 3 UTF-8 bytes: most texts need no encoding to be measured.
        int bytes = text.length() * 3 <= MAX_TEXT_BYTES ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TEXT_BYTES) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " text is " + bytes
                    + " bytes, more than the limit of " + MAX_TEXT_BYTES);
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " text contains a NUL character,"
                    + " which PostgreSQL text cannot store");
        }
        if (metadata != null && containsNul(metadata)) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " metadata contains a NUL character,"
                    + " which PostgreSQL jsonb cannot store");
        }
        if (version != null && version < 0) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " has negative version " + version);
        }
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Whether a NUL is in any key or string value, however deep: PostgreSQL's jsonb refuses it. */
    private static boolean containsNul(Object value) {
        if (value instanceof String s) {
            return s.indexOf('\u0000') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (containsNul(String.valueOf(e.getKey())) || containsNul(e.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode) {
            return Json.writeString(value).contains("\\u0000"); // a JsonNode is Iterable, over its children only
        }
        if (value instanceof Iterable<?> items) {
            for (Object item : items) {
                if (containsNul(item)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Object[] items) {
            return containsNul(java.util.Arrays.asList(items));
        }
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return false;
        }
        // Anything else (a char, a JsonNode, a record...) is checked as it will be written.
        return Json.writeString(value).contains("\\u0000");
    }

    public Document(String collection, String id, String text) {
        this(collection, id, text, Map.of(), null);
    }

    public DocumentKey key() {
        return new DocumentKey(collection, id);
    }
}
