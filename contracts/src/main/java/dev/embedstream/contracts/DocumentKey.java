package dev.embedstream.contracts;

import java.util.Objects;

/**
 * Key of the documents and embeddings topics: all events of one document land in one partition,
 * so their order is kept, and a compacted topic keeps the latest event per document.
 */
public record DocumentKey(String collection, String id) {

    public DocumentKey {
        CollectionName.requireValid(collection);
        DocumentId.requireValid(id);
    }

    @Override
    public String toString() {
        return collection + "/" + id;
    }

    static DocumentKey of(String collection, String id) {
        return new DocumentKey(Objects.requireNonNull(collection), Objects.requireNonNull(id));
    }
}
