package dev.embedstream.app.internal;

import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.embedder.KnownContent;
import dev.embedstream.writer.VectorStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;

/**
 * Stored state for the embedder's "never pay twice" check, read from the vector store. Until the
 * writer has caught up with everything that was on its way when this process started, the store
 * may be behind what is in flight, so nothing is reported and everything is embedded.
 */
public final class StoreKnownContent implements KnownContent, AutoCloseable {

    private final VectorStore store;
    private final Admin admin;
    private final String writerGroup;
    private final String embeddingsTopic;
    private volatile boolean writerCaughtUp;

    public StoreKnownContent(VectorStore store, dev.embedstream.contracts.KafkaSettings kafka, String writerGroup,
                             String embeddingsTopic) {
        this.store = store;
        this.admin = Admin.create(kafka.adminProperties());
        this.writerGroup = writerGroup;
        this.embeddingsTopic = embeddingsTopic;
    }

    @Override
    public void assignmentChanged() {
        writerCaughtUp = false;
    }

    /** On any failure nothing is reported: embedding again costs money, never correctness. */
    @Override
    public Map<DocumentKey, Stored> lookup(dev.embedstream.contracts.ModelId model, Collection<DocumentKey> keys) {
        try {
            return caughtUp() ? read(model, keys) : Map.of();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private Map<DocumentKey, Stored> read(dev.embedstream.contracts.ModelId model, Collection<DocumentKey> keys) {
        Map<DocumentKey, Stored> result = new HashMap<>();
        Map<String, List<DocumentKey>> byCollection = keys.stream().collect(Collectors.groupingBy(DocumentKey::collection));
        byCollection.forEach((collection, ks) -> store.stored(collection, model, ks.stream().map(DocumentKey::id).toList())
                .forEach((id, s) -> result.put(new DocumentKey(collection, id),
                        new Stored(s.contentHash(), s.version(), s.metadata()))));
        return result;
    }

    /**
     * Once the writer's lag reaches zero, all that was in flight at start has landed; from then on
     * the embedder itself remembers what it sends on, so the check stays sound.
     */
    private boolean caughtUp() {
        if (!writerCaughtUp) {
            writerCaughtUp = ConsumerLag.of(admin, writerGroup, embeddingsTopic) == 0;
        }
        return writerCaughtUp;
    }

    @Override
    public void close() {
        admin.close();
    }
}
