package dev.embedstream.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads documents from JSON written by any producer, with an error that says exactly what is wrong:
 * malformed JSON, a missing or mistyped field, a bad collection name. Unknown fields are ignored.
 */
public final class DocumentCodec {

    // Trailing tokens fail: two documents run together on one line must not lose the second. Built
    // once: an ObjectReader is immutable and thread-safe, and building one per document was measured.
    private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DocumentCodec() {
    }

    /**
     * Parses one document. The collection comes from the JSON's {@code collection} field, or from
     * {@code defaultCollection} when the JSON has none; a key, when given, must agree with the value.
     */
    public static Document parse(byte[] json, DocumentKey key, String defaultCollection) {
        requireUtf8(json);
        return parseUtf8(json, key, defaultCollection);
    }

    /**
     * As {@link #parse(byte[], DocumentKey, String)}, for bytes already known to be valid UTF-8. Reads
     * the known fields straight off the parser into plain values (metadata into a map, no tree);
     * anything unusual, malformed JSON included, goes the tree way, whose errors are the reference.
     */
    public static Document parseUtf8(byte[] json, DocumentKey key, String defaultCollection) {
        return parseUtf8(json, 0, json.length, key, defaultCollection);
    }

    /** As {@link #parseUtf8(byte[], DocumentKey, String)}, for the document in {@code json[offset, offset + length)}. */
    public static Document parseUtf8(byte[] json, int offset, int length, DocumentKey key, String defaultCollection) {
        Fields read = streamed(json, offset, length, true);
        if (read == null) {
            return parse(treeOfUtf8(json, offset, length), key, defaultCollection);
        }
        return build(read.collection, read.id, read.text, () -> read.metadata, () -> read.version, key, defaultCollection);
    }

    /**
     * Checks the document in {@code json[offset, offset + length)} (valid UTF-8) exactly as
     * {@link #parseUtf8(byte[], int, int, DocumentKey, String)} would, and returns its key, without
     * building its metadata: for a caller that forwards the bytes as they came.
     *
     * @throws InvalidInputException with the same reason {@code parseUtf8} gives
     */
    public static DocumentKey checkUtf8(byte[] json, int offset, int length, String defaultCollection) {
        Fields read = streamed(json, offset, length, false);
        if (read == null) {
            return parse(treeOfUtf8(json, offset, length), null, defaultCollection).key();
        }
        // The metadata was checked for what Document refuses in it (a NUL) while it was skipped.
        return build(read.collection, read.id, read.text, Map::of, () -> read.version, null, defaultCollection).key();
    }

    /**
     * The fields read off the parser, or null when the document must go the tree way: malformed,
     * mistyped, or without an id or text (the tree way's errors are the reference).
     */
    private static Fields streamed(byte[] json, int offset, int length, boolean buildMetadata) {
        Fields fields;
        try {
            fields = readFields(json, offset, length, buildMetadata);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        return fields == null || fields.id == null || fields.text == null ? null : fields;
    }

    /** The known fields of a document read off the parser; any that is mistyped sends it the tree way. */
    private static final class Fields {
        String collection;
        String id;
        String text;
        Long version;
        Map<String, Object> metadata = Map.of();
    }

    /** Signals "read this one as a tree": thrown only on unusual input, so it keeps no stack trace. */
    private static final class TreeWay extends RuntimeException {
        static final TreeWay INSTANCE = new TreeWay();

        private TreeWay() {
            super(null, null, false, false);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectReader METADATA = Json.MAPPER.readerFor(LinkedHashMap.class);

    /** @return the fields, or null when this document needs the tree way */
    private static Fields readFields(byte[] json, int offset, int length, boolean buildMetadata)
            throws java.io.IOException {
        Fields f = new Fields();
        try (JsonParser p = Json.MAPPER.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "collection" -> f.collection = string(p, value);
                    case "id" -> f.id = value == JsonToken.VALUE_NUMBER_INT ? Long.toString(wholeNumber(p)) : string(p, value);
                    case "text" -> f.text = string(p, value);
                    case "version" -> f.version = value == JsonToken.VALUE_NULL ? null : wholeNumber(p);
                    case "metadata" -> f.metadata = buildMetadata ? metadata(p, value) : checkedMetadata(p, value);
                    default -> p.skipChildren(); // unknown fields are ignored, by contract
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        } catch (TreeWay e) {
            return null;
        }
        return f;
    }

    private static String string(JsonParser p, JsonToken value) throws java.io.IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw TreeWay.INSTANCE;
        }
        return p.getText();
    }

    // int or long only: the tree way reads bigger numbers and says what is wrong with them
    private static long wholeNumber(JsonParser p) throws java.io.IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw TreeWay.INSTANCE;
        }
        return p.getLongValue();
    }

    /** Walks the metadata without building it; a NUL anywhere sends the document the way that names it. */
    private static Map<String, Object> checkedMetadata(JsonParser p, JsonToken value) throws java.io.IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw TreeWay.INSTANCE;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw TreeWay.INSTANCE;
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            } else if ((t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) && hasNul(p)) {
                throw TreeWay.INSTANCE;
            }
        }
        return Map.of();
    }

    private static boolean hasNul(JsonParser p) throws java.io.IOException {
        char[] chars = p.getTextCharacters();
        int end = p.getTextOffset() + p.getTextLength();
        for (int i = p.getTextOffset(); i < end; i++) {
            if (chars[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> metadata(JsonParser p, JsonToken value) throws java.io.IOException {
        if (value == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (value != JsonToken.START_OBJECT) {
            throw TreeWay.INSTANCE;
        }
        return METADATA.readValue(p);
    }

    /** As {@link #parse(byte[], DocumentKey, String)}, for JSON already read (an element of an array, say). */
    public static Document parse(JsonNode node, DocumentKey key, String defaultCollection) {
        if (!node.isObject()) {
            throw new InvalidInputException("document must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return build(optionalText(node, "collection"), node, key, defaultCollection);
    }

    // The fields are checked in the order the tree way always checked them, so a document with several
    // faults is refused for the same one either way; the metadata comes last.
    private static Document build(String collection, JsonNode node, DocumentKey key, String defaultCollection) {
        String resolved = resolveCollection(collection, key, defaultCollection);
        String id = idOf(node);
        String text = optionalText(node, "text");
        return build(resolved, id, text, () -> metadataOf(node), () -> versionOf(node), key, defaultCollection);
    }

    private static String resolveCollection(String collection, DocumentKey key, String defaultCollection) {
        String resolved = collection != null ? collection : key != null ? key.collection() : defaultCollection;
        if (resolved == null) {
            throw new InvalidInputException("missing collection (no 'collection' field and no default)");
        }
        return resolved;
    }

    private static Document build(String collection, String id, String text,
            java.util.function.Supplier<Map<String, Object>> metadata, java.util.function.Supplier<Long> version, DocumentKey key,
            String defaultCollection) {
        String resolved = resolveCollection(collection, key, defaultCollection);
        if (text == null) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " has no 'text' field");
        }
        Map<String, Object> meta = metadata.get();
        Document doc = new Document(resolved, id, text, meta, version.get());
        if (key != null && !key.equals(doc.key())) {
            throw new InvalidInputException("record key " + key + " does not match document " + doc.key());
        }
        return doc;
    }

    public static Document parse(String json, String defaultCollection) {
        return parse(json.getBytes(StandardCharsets.UTF_8), null, defaultCollection);
    }

    public static byte[] write(Document doc) {
        return Json.write(doc);
    }

    /**
     * Reads JSON that must be valid UTF-8 and hold one value, nothing after it.
     *
     * @throws InvalidInputException saying what is wrong and where
     */
    public static JsonNode tree(byte[] json) {
        requireUtf8(json);
        return treeOfUtf8(json);
    }

    /** As {@link #tree(byte[])}, for bytes already known to be valid UTF-8 (a body checked as a whole). */
    public static JsonNode treeOfUtf8(byte[] json) {
        return treeOfUtf8(json, 0, json.length);
    }

    /** As {@link #treeOfUtf8(byte[])}, for the JSON in {@code json[offset, offset + length)}. */
    public static JsonNode treeOfUtf8(byte[] json, int offset, int length) {
        try {
            JsonNode node = STRICT.readTree(json, offset, length);
            if (node == null || node.isMissingNode()) {
                throw new InvalidInputException("empty document: no JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** Whether the bytes are valid UTF-8. */
    public static boolean isUtf8(byte[] bytes) {
        return Utf8.isValid(bytes);
    }

    private static void requireUtf8(byte[] bytes) {
        if (!Utf8.isValid(bytes)) {
            throw new InvalidInputException("document is not valid UTF-8");
        }
    }

    private static String idOf(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) {
            throw new InvalidInputException("missing document id");
        }
        if (id.isTextual()) {
            return id.textValue();
        }
        if (id.isIntegralNumber()) {
            return id.asText();
        }
        throw new InvalidInputException("field 'id' must be a string or an integer, got " + typeOf(id));
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidInputException("field '" + field + "' must be a string, got " + typeOf(value));
        }
        return value.textValue();
    }

    private static Long versionOf(JsonNode node) {
        JsonNode value = node.get("version");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidInputException("field 'version' must be a whole number, got " + typeOf(value));
        }
        return value.longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataOf(JsonNode node) {
        JsonNode value = node.get("metadata");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InvalidInputException("field 'metadata' must be a JSON object, got " + typeOf(value));
        }
        return Json.MAPPER.convertValue(value, LinkedHashMap.class);
    }

    private static String typeOf(JsonNode value) {
        return value.getNodeType().name().toLowerCase();
    }
}
