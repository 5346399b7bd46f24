package dev.embedstream.ingest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.DocumentCodec;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.ingest.DocumentPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Document document; // null for a delete
        boolean delete;
        String rejection;
        CompletableFuture<RecordMetadata> ack;
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
        List<byte[]> inputs = body[first] == '[' ? arrayElements(body) : lines(body);
        List<Item> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            items.add(parseOne(collection, i, inputs.get(i)));
        }
        return new IngestBatch(collection, items);
    }

    /** One delete. */
    public static IngestBatch delete(String collection, String id) {
        Item item = new Item(0, id);
        item.delete = true;
        return new IngestBatch(collection, new ArrayList<>(List.of(item)));
    }

    private static Item parseOne(String collection, int index, byte[] json) {
        Item item = new Item(index, idOrNull(json));
        if (json.length > MAX_DOCUMENT_BYTES) {
            item.rejection = "document is " + json.length + " bytes of JSON, over the limit of " + MAX_DOCUMENT_BYTES;
            return item;
        }
        try {
            Document doc = DocumentCodec.parse(json, null, collection);
            if (!doc.collection().equals(collection)) {
                item.rejection = "document names collection '" + doc.collection() + "' but was sent to '" + collection + "'";
            } else {
                item.document = doc;
            }
        } catch (InvalidInputException e) {
            item.rejection = e.getMessage();
        }
        return item;
    }

    private static String idOrNull(byte[] json) {
        try {
            JsonNode id = Json.MAPPER.readTree(json).get("id");
            return id != null && id.isValueNode() ? id.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<byte[]> arrayElements(byte[] body) {
        JsonNode array;
        try {
            array = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("malformed JSON array: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "); nothing was published. NDJSON, one document per line, lets the valid lines through");
        } catch (java.io.IOException e) {
            throw new InvalidInputException("unreadable JSON: " + e.getMessage());
        }
        if (!array.isArray()) {
            throw new InvalidInputException("body must be a JSON array of documents or NDJSON");
        }
        List<byte[]> elements = new ArrayList<>(array.size());
        array.forEach(element -> elements.add(Json.write(element)));
        return elements;
    }

    private static List<byte[]> lines(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (firstNonWhitespace(body, start, end) >= 0) {
                    lines.add(java.util.Arrays.copyOfRange(body, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
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
                item.ack = item.delete ? publisher.delete(collection, item.id) : publisher.publish(item.document);
            }
        }
        publisher.flush();
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

    /** The reply body: counts, then one entry per input in input order. */
    public Map<String, Object> reply() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collection", collection);
        body.put("accepted", accepted());
        body.put("rejected", rejected());
        body.put("failed", failed());
        List<Map<String, Object>> results = new ArrayList<>(items.size());
        items.forEach(item -> results.add(result(item)));
        body.put("results", results);
        return body;
    }

    private static Map<String, Object> result(Item item) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("index", item.index);
        if (item.id != null) {
            r.put("id", item.id);
        }
        if (item.metadata != null) {
            r.put("status", "accepted");
            r.put("operation", item.delete ? "delete" : "upsert");
            r.put("partition", item.metadata.partition());
            r.put("offset", item.metadata.offset());
        } else if (item.rejection != null) {
            r.put("status", "rejected");
            r.put("reason", item.rejection);
        } else {
            r.put("status", "failed");
            r.put("reason", item.failure);
        }
        return r;
    }

    @Override
    public String toString() {
        return "IngestBatch[" + collection + ", " + items.size() + " inputs]";
    }
}
