package dev.embedstream.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
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
     * the known fields straight off the parser (metadata into a map, no tree of the whole document);
     * anything unusual, malformed JSON included, goes the tree way, whose errors are the reference.
     */
    public static Document parseUtf8(byte[] json, DocumentKey key, String defaultCollection) {
        ObjectNode known = Json.MAPPER.createObjectNode();
        Map<String, Object> metadata;
        try {
            metadata = readKnownFields(json, known);
        } catch (java.io.IOException | RuntimeException e) {
            metadata = null;
        }
        if (metadata == null) {
            return parse(treeOfUtf8(json), key, defaultCollection);
        }
        Map<String, Object> read = metadata;
        return build(known, () -> read, key, defaultCollection);
    }

    /** @return the metadata (empty when absent), or null when this document needs the tree way */
    private static Map<String, Object> readKnownFields(byte[] json, ObjectNode known) throws java.io.IOException {
        Map<String, Object> metadata = Map.of();
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("metadata")) {
                    if (value != JsonToken.START_OBJECT) {
                        return null; // null or mistyped: the tree way says which
                    }
                    metadata = orderedMap(p);
                } else if (KNOWN_SCALARS.contains(field)) {
                    if (value.isStructStart()) {
                        return null;
                    }
                    known.set(field, p.readValueAsTree());
                } else {
                    p.skipChildren(); // unknown fields are ignored, by contract
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
        }
        return metadata;
    }

    private static final java.util.Set<String> KNOWN_SCALARS = java.util.Set.of("collection", "id", "text", "version");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> orderedMap(JsonParser p) throws java.io.IOException {
        return Json.MAPPER.readValue(p, LinkedHashMap.class);
    }

    /** As {@link #parse(byte[], DocumentKey, String)}, for JSON already read (an element of an array, say). */
    public static Document parse(JsonNode node, DocumentKey key, String defaultCollection) {
        if (!node.isObject()) {
            throw new InvalidInputException("document must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return build(node, () -> metadataOf(node), key, defaultCollection);
    }

    // The metadata comes last, so a document with several faults is refused for the same one either way.
    private static Document build(JsonNode node, java.util.function.Supplier<Map<String, Object>> metadata,
            DocumentKey key, String defaultCollection) {
        String collection = optionalText(node, "collection");
        if (collection == null) {
            collection = key != null ? key.collection() : defaultCollection;
        }
        if (collection == null) {
            throw new InvalidInputException("missing collection (no 'collection' field and no default)");
        }
        String id = idOf(node);
        String text = optionalText(node, "text");
        if (text == null) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " has no 'text' field");
        }
        Map<String, Object> meta = metadata.get();
        Document doc = new Document(collection, id, text, meta, versionOf(node));
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
        try {
            JsonNode node = STRICT.readTree(json);
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
        try {
            requireUtf8(bytes);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
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
