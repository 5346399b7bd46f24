package dev.embedstream.embedder;

import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.ModelId;
import java.util.Collection;
import java.util.Map;

/** What is already stored for documents, so the embedder never pays twice for the same content. */
@FunctionalInterface
public interface KnownContent {

    /** What the store holds for one document and model. */
    record Stored(String contentHash, Long version, Map<String, Object> metadata) {
    }

    /** Stored state, among vectors of {@code model}, of those of {@code keys} that are stored. */
    Map<DocumentKey, Stored> lookup(ModelId model, Collection<DocumentKey> keys);

    /**
     * This worker's partitions changed: another instance may have left changes in flight for them,
     * so what is stored may be behind until the writer catches up again.
     */
    default void assignmentChanged() {
    }

    /** Nothing is known: everything is embedded. */
    KnownContent NONE = (model, keys) -> Map.of();
}
