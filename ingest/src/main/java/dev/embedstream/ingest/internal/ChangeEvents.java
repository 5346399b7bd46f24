package dev.embedstream.ingest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one Debezium change event (JSON, with or without the schema wrapper) into what it means for
 * its document: an upsert, a delete, nothing (the text did not change), or a rejection with the reason.
 */
public final class ChangeEvents {

    /** Debezium's stand-in for an unchanged TOASTed value when the old row is not logged in full. */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";

    /** What one change event means for its document. */
    public sealed interface Outcome permits Upsert, Delete, Skip, Reject {
    }

    /** Publish this document. */
    public record Upsert(Document document) implements Outcome {
    }

    /** Delete this document. */
    public record Delete(DocumentKey key) implements Outcome {
    }

    /** Nothing to publish: the document's text and metadata are what they were. */
    public record Skip(String why) implements Outcome {
    }

    /** The event cannot become a document change; it belongs in the dead-letter topic. */
    public record Reject(String reason) implements Outcome {
    }

    private final String collection;
    private final List<String> keyColumns;
    private final RowTemplate template;
    private final List<String> metadataColumns;
    private final List<String> contentColumns;

    public ChangeEvents(String collection, List<String> keyColumns, String template, List<String> metadataColumns) {
        this.collection = collection;
        this.keyColumns = List.copyOf(keyColumns);
        this.template = RowTemplate.of(template);
        this.metadataColumns = List.copyOf(metadataColumns);
        List<String> content = new ArrayList<>(this.template.columns());
        metadataColumns.stream().filter(c -> !content.contains(c)).forEach(content::add);
        this.contentColumns = List.copyOf(content);
    }

    /** The meaning of the event with this record key and value (a null value is a Kafka tombstone). */
    public Outcome map(byte[] key, byte[] value) {
        try {
            return value == null ? tombstone(key) : event(key, value);
        } catch (InvalidInputException e) {
            return new Reject(e.getMessage());
        }
    }

    private Outcome event(byte[] key, byte[] value) {
        JsonNode envelope = unwrap(parse(value, "value"));
        if (envelope.isNull()) {
            return tombstone(key); // what a converter with schemas makes of a tombstone, if anything
        }
        if (!envelope.isObject()) {
            throw new InvalidInputException("not a Debezium change event: the value is JSON but not an object");
        }
        JsonNode op = envelope.get("op");
        if (op == null || !op.isTextual()) {
            throw new InvalidInputException("not a Debezium change event: no \"op\" field (this source needs the"
                    + " whole envelope, so the ExtractNewRecordState transform must not be applied)");
        }
        return switch (op.textValue()) {
            case "c", "r" -> upsertOrDelete(row(envelope, "after", op.textValue()));
            case "u" -> update(envelope);
            case "d" -> new Delete(key(row(envelope, "before", "d"), "before row"));
            case "t" -> throw new InvalidInputException("op 't' (TRUNCATE) cannot be applied document by document:"
                    + " delete or re-create the collection '" + collection + "'");
            default -> throw new InvalidInputException("unknown Debezium op '" + op.textValue() + "' (known: c, r, u, d)");
        };
    }

    private Outcome update(JsonNode envelope) {
        JsonNode after = row(envelope, "after", "u");
        List<String> unavailable = unavailable(after);
        if (!unavailable.isEmpty() && unavailable.size() == contentColumns.size()) {
            key(after, "after row"); // a bad id is still a bad record, unchanged text or not
            return new Skip("every text and metadata column is unchanged (TOASTed, not sent)");
        }
        Document doc = documentOrNull(after);
        if (doc == null) {
            return new Delete(key(after, "after row"));
        }
        JsonNode before = envelope.get("before");
        // Without the old row (REPLICA IDENTITY not FULL) there is nothing to compare with: publish.
        if (before != null && before.isObject() && sameContent(before, doc)) {
            return new Skip("text and metadata unchanged");
        }
        return new Upsert(doc);
    }

    private boolean sameContent(JsonNode before, Document after) {
        try {
            return text(before, "before row").equals(after.text()) && metadata(before, "before row").equals(after.metadata());
        } catch (InvalidInputException e) {
            return false; // an old row without the columns cannot tell: publish
        }
    }

    private Outcome tombstone(byte[] key) {
        if (key == null) {
            throw new InvalidInputException("tombstone without a key: no document to delete");
        }
        JsonNode row = unwrap(parse(key, "key"));
        if (!row.isObject()) {
            throw new InvalidInputException("tombstone key is not a JSON object of key columns");
        }
        return new Delete(key(row, "tombstone's key"));
    }

    /**
     * A row whose text is blank has nothing to embed: like a table backfill, whose blank rows get a
     * delete, its document goes (an embedding of the old text would otherwise stay searchable).
     */
    private Outcome upsertOrDelete(JsonNode row) {
        Document doc = documentOrNull(row);
        return doc == null ? new Delete(key(row, "after row")) : new Upsert(doc);
    }

    /** The row's document, or null when its text is blank. */
    private Document documentOrNull(JsonNode row) {
        DocumentKey key = key(row, "after row");
        List<String> unavailable = unavailable(row);
        if (!unavailable.isEmpty()) {
            throw new InvalidInputException("column(s) " + String.join(", ", unavailable) + " not sent (unchanged TOASTed"
                    + " values of a table whose REPLICA IDENTITY is not FULL), so the document cannot be built:"
                    + " ALTER TABLE ... REPLICA IDENTITY FULL");
        }
        String text = text(row, "after row");
        if (text.isBlank()) {
            return null;
        }
        return new Document(collection, key.id(), text, metadata(row, "after row"), version());
    }

    /*
     * No version. A document's changes already reach the documents topic in commit order: Debezium keys
     * its messages by the primary key, so one row's events share a partition, and the document key is
     * made from those same columns, so they share one on the way out. A version would only add a way to
     * lose changes: the writer ignores anything "older" than what it stored, and the Kafka offset restarts
     * with a re-created topic, the LSN belongs to one PostgreSQL cluster (a restore or a new primary can
     * go back), ts_ms follows a clock; once any of them goes back, every later change would be silently
     * ignored. Deletes carry no version either, so it would not order them. Backfilled documents have
     * none, and a null version is never "older", so both sources can feed one collection.
     */
    private static Long version() {
        return null;
    }

    private DocumentKey key(JsonNode row, String where) {
        List<String> parts = new ArrayList<>(keyColumns.size());
        for (String col : keyColumns) {
            JsonNode v = row.get(col);
            if (v == null) {
                throw new InvalidInputException("the " + where + " has no key column '" + col + "'");
            }
            if (v.isNull() || v.isContainerNode() || UNAVAILABLE.equals(v.asText())) {
                throw new InvalidInputException("key column '" + col + "' of the " + where + " is "
                        + (v.isNull() ? "null" : "not a plain value: " + v));
            }
            parts.add(v.asText());
        }
        return new DocumentKey(collection, parts.size() == 1 ? parts.get(0) : joinKey(parts));
    }

    // Escaped so that ("a:b", "c") and ("a", "b:c") stay two ids.
    private static String joinKey(List<String> parts) {
        return String.join(":", parts.stream().map(p -> p.replace("\\", "\\\\").replace(":", "\\:")).toList());
    }

    private String text(JsonNode row, String where) {
        for (String col : template.columns()) {
            column(row, col, where);
        }
        return template.render(col -> textOf(row.get(col)));
    }

    private Map<String, Object> metadata(JsonNode row, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String col : metadataColumns) {
            out.put(col, Json.MAPPER.convertValue(column(row, col, where), Object.class));
        }
        return out;
    }

    private static JsonNode column(JsonNode row, String col, String where) {
        JsonNode v = row.get(col);
        if (v == null) {
            throw new InvalidInputException("the " + where + " has no column '" + col + "'");
        }
        return v;
    }

    /** As PostgreSQL's {@code ::text} would write it, for the usual JSON forms; NULL is empty. */
    private static String textOf(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private List<String> unavailable(JsonNode row) {
        return contentColumns.stream().filter(c -> row.has(c) && UNAVAILABLE.equals(row.get(c).textValue())).toList();
    }

    private static JsonNode row(JsonNode envelope, String field, String op) {
        JsonNode row = envelope.get(field);
        if (row == null || !row.isObject()) {
            throw new InvalidInputException("op '" + op + "' event without a \"" + field + "\" row");
        }
        return row;
    }

    // Schemas enabled: {"schema": ..., "payload": <the event>}; an event itself never has both fields.
    private static JsonNode unwrap(JsonNode node) {
        return node.isObject() && node.has("schema") && node.has("payload") ? node.get("payload") : node;
    }

    private static JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new InvalidInputException("record " + what + " is empty, not JSON");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidInputException("record " + what + " is not JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
