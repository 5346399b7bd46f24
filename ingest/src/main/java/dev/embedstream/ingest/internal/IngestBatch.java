package dev.embedstream.ingest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.ingest.DocumentPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The inputs of one HTTP request, each parsed on its own (one bad input never sinks the others),
 * published together, and reported one by one once Kafka has answered for all of them.
 */
public final class IngestBatch {

    /** Largest JSON of one document; the text limit is half of it, the rest is metadata and headroom. */
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    /** What happened to one input. */
    private static final class Item {
        final int index;
        final String id;
        Document document; // an upsert read from a JSON array
        DocumentKey key; // an upsert that came as one NDJSON line: its bytes are checked, not read into a Document
        byte[] json; // that line's own bytes with the collection added
        boolean delete;
        String rejection;
        java.util.concurrent.Future<RecordMetadata> ack;
        String failure;
        RecordMetadata metadata;

        Item(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    private final String collection;
    private final List<Item> items;

    private IngestBatch(String collection, List<Item> items) {
        this.collection = collection;
        this.items = items;
    }

    /**
     * A JSON array of documents, or NDJSON (one document per line). A JSON array that is not valid
     * JSON as a whole cannot be split into inputs and is refused whole; in NDJSON each line stands alone.
     *
     * @throws InvalidInputException when the body as a whole is unusable
     */
    public static IngestBatch parse(String collection, byte[] body) {
        int first = firstNonWhitespace(body);
        if (first < 0) {
            throw new InvalidInputException("empty body: send a JSON array of documents or NDJSON, one per line");
        }
        return new IngestBatch(collection, body[first] == '[' ? fromArray(collection, body) : fromLines(collection, body));
    }

    /** One delete. */
    public static IngestBatch delete(String collection, String id) {
        Item item = new Item(0, id);
        item.delete = true;
        return new IngestBatch(collection, new ArrayList<>(List.of(item)));
    }

    private static List<Item> fromArray(String collection, byte[] body) {
        JsonNode array;
        try {
            array = DocumentCodec.tree(body);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage() + " in the JSON array; nothing was published (NDJSON, one"
                    + " document per line, lets the valid lines through)");
        }
        if (!array.isArray()) {
            throw new InvalidInputException("body must be a JSON array of documents or NDJSON");
        }
        List<Item> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            items.add(parseOne(collection, i, array.get(i)));
        }
        return items;
    }

    private static List<Item> fromLines(String collection, byte[] body) {
        // One pass over the whole body; only when it fails is each line checked, to name the bad ones.
        boolean utf8 = DocumentCodec.isUtf8(body);
        byte[] collectionField = ("\"collection\":\"" + collection + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<Item> items = new ArrayList<>();
        // A UTF-8 byte-order mark before the first line is not part of it (some editors write one)
        int start = body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF ? 3 : 0;
        for (int i = start; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (firstNonWhitespace(body, start, end) >= 0) {
                    items.add(parseLine(collection, collectionField, items.size(), body, start, end, utf8));
                }
                start = i + 1;
            }
        }
        return items;
    }

    /** The line {@code body[start, end)}, read in place: a body of 100,000 lines is not copied line by line. */
    private static Item parseLine(String collection, byte[] collectionField, int index, byte[] body, int start, int end,
                                  boolean utf8) {
        int length = end - start;
        if (length > MAX_DOCUMENT_BYTES) {
            Item item = new Item(index, null);
            item.rejection = "document is " + length + " bytes of JSON, over the limit of " + MAX_DOCUMENT_BYTES;
            return item;
        }
        try {
            DocumentKey key = utf8 ? DocumentCodec.checkUtf8(body, start, length, collection)
                    : DocumentCodec.parse(java.util.Arrays.copyOfRange(body, start, end), null, collection).key();
            Item item = new Item(index, key.id());
            if (!key.collection().equals(collection)) {
                item.rejection = otherCollection(key.collection(), collection);
            } else if (body[firstNonWhitespace(body, start, end)] != '{') {
                // e.g. a byte-order mark the parser skipped: the line cannot be sent on as it came
                item.rejection = "document must start with '{' (no byte-order mark or other bytes before it)";
            } else {
                item.key = key;
                item.json = withCollection(body, start, end, collectionField);
            }
            return item;
        } catch (InvalidInputException e) {
            Item item = new Item(index, idOrNull(body, start, length));
            item.rejection = e.getMessage();
            return item;
        }
    }

    /**
     * The line as the documents topic's value: its own bytes with the collection added as the first
     * field (when the line names it too, it is the same: checked before), unknown fields kept, as the
     * contract lets them be. Reading it back with the same rules gives the same document.
     */
    static byte[] withCollection(byte[] line, String collection) {
        return withCollection(line, 0, line.length,
                ("\"collection\":\"" + collection + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** As {@link #withCollection(byte[], String)}, for the line {@code body[start, end)} and the field's bytes. */
    private static byte[] withCollection(byte[] body, int start, int end, byte[] field) {
        int open = firstNonWhitespace(body, start, end);
        if (open < 0 || body[open] != '{') {
            throw new IllegalArgumentException("not a JSON object");
        }
        int next = firstNonWhitespace(body, open + 1, end);
        boolean empty = next >= 0 && body[next] == '}';
        byte[] out = new byte[end - open + field.length + (empty ? 0 : 1)];
        out[0] = '{';
        System.arraycopy(field, 0, out, 1, field.length);
        int at = 1 + field.length;
        if (!empty) {
            out[at++] = ',';
        }
        System.arraycopy(body, open + 1, out, at, end - open - 1);
        return out;
    }

    private static Item accepted(String collection, int index, Document doc) {
        Item item = new Item(index, doc.id());
        if (!doc.collection().equals(collection)) {
            item.rejection = otherCollection(doc.collection(), collection);
        } else {
            item.document = doc;
        }
        return item;
    }

    private static String otherCollection(String named, String collection) {
        return "document names collection '" + named + "' but was sent to '" + collection + "'";
    }

    /** The id of a refused input, for the reply, when it has a readable one. */
    private static String idOrNull(byte[] body, int offset, int length) {
        try {
            return idOf(DocumentCodec.treeOfUtf8(body, offset, length));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String idOf(JsonNode json) {
        JsonNode id = json.get("id");
        return id != null && id.isValueNode() && !id.isNull() ? id.asText() : null;
    }

    private static Item parseOne(String collection, int index, JsonNode json) {
        try {
            return accepted(collection, index, DocumentCodec.parse(json, null, collection));
        } catch (InvalidInputException e) {
            Item item = new Item(index, idOf(json));
            item.rejection = e.getMessage();
            return item;
        }
    }

    private static int firstNonWhitespace(byte[] body) {
        return firstNonWhitespace(body, 0, body.length);
    }

    private static int firstNonWhitespace(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' && body[i] != '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Sends every valid input, then waits until Kafka has answered for each. */
    public void publish(DocumentPublisher publisher) {
        for (Item item : items) {
            if (item.rejection == null) {
                try {
                    item.ack = item.delete ? publisher.delete(collection, item.id)
                            : item.key != null ? publisher.publishValidated(item.key, item.json)
                            : publisher.publish(item.document);
                } catch (RuntimeException e) {
                    // e.g. the producer closing at shutdown: this one failed, the ones sent before still count
                    item.ack = java.util.concurrent.CompletableFuture.failedFuture(e);
                }
            }
        }
        // No flush(): it would wait for every request's records, not just these; linger sends them soon.
        items.forEach(IngestBatch::await);
    }

    private static void await(Item item) {
        if (item.ack == null) {
            return;
        }
        try {
            item.metadata = item.ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            item.failure = "interrupted before Kafka acknowledged it";
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RecordTooLargeException) {
                item.rejection = "too large for the documents topic: " + cause.getMessage();
            } else {
                item.failure = "Kafka did not acknowledge it: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
        }
    }

    public long accepted() {
        return items.stream().filter(i -> i.metadata != null).count();
    }

    public long rejected() {
        return items.stream().filter(i -> i.rejection != null).count();
    }

    public long failed() {
        return items.stream().filter(i -> i.failure != null).count();
    }

    /** Writes the reply: counts, then one entry per input in input order (streamed: a reply can list 100,000). */
    public void writeReply(java.io.OutputStream out) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonGenerator g = dev.embedstream.contracts.Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("collection", collection);
            g.writeNumberField("accepted", accepted());
            g.writeNumberField("rejected", rejected());
            g.writeNumberField("failed", failed());
            g.writeArrayFieldStart("results");
            for (Item item : items) {
                writeResult(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeResult(com.fasterxml.jackson.core.JsonGenerator g, Item item) throws java.io.IOException {
        g.writeStartObject();
        g.writeNumberField("index", item.index);
        if (item.id != null) {
            g.writeStringField("id", item.id);
        }
        if (item.metadata != null) {
            g.writeStringField("status", "accepted");
            g.writeStringField("operation", item.delete ? "delete" : "upsert");
            g.writeNumberField("partition", item.metadata.partition());
            g.writeNumberField("offset", item.metadata.offset());
        } else if (item.rejection != null) {
            g.writeStringField("status", "rejected");
            g.writeStringField("reason", item.rejection);
        } else {
            g.writeStringField("status", "failed");
            g.writeStringField("reason", item.failure);
        }
        g.writeEndObject();
    }

    @Override
    public String toString() {
        return "IngestBatch[" + collection + ", " + items.size() + " inputs]";
    }
}
