package dev.embedstream.embedder;

import dev.embedstream.contracts.Chunking;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models embed a collection's documents. Usually one; two while a re-embed builds the new
 * model's vectors beside the old, so both stay current. A collection with no target is not this
 * worker's business: its documents and deletes are passed over.
 */
@FunctionalInterface
public interface ModelRouter {

    /** One model to embed with, and how its texts are chunked. */
    record Target(EmbeddingProvider provider, int chunkOverlap) {

        /** The chunking settings as they enter the content hash. */
        public String chunkingKey() {
            return Chunking.key(chunkOverlap);
        }
    }

    /**
     * The targets of each collection named, read when asked (a batch at a time), so a re-embed
     * started or finished elsewhere is followed by the next batch.
     *
     * @throws RoutingUnavailableException when the routing cannot be read now (retried later)
     */
    Map<String, List<Target>> route(Collection<String> collections);

    /**
     * As {@link #route(Collection)}, knowing which collections have documents in the batch (not only
     * deletes): a router that sets up collections on first sight sets up only those.
     */
    default Map<String, List<Target>> route(Collection<String> collections, Collection<String> withDocuments) {
        return route(collections);
    }

    /** Every collection embedded with one provider. */
    static ModelRouter fixed(EmbeddingProvider provider, int chunkOverlap) {
        List<Target> one = List.of(new Target(provider, chunkOverlap));
        return names -> {
            Map<String, List<Target>> result = new LinkedHashMap<>();
            names.forEach(n -> result.put(n, one));
            return result;
        };
    }

    /** The routing could not be read (its store is down): the batch is retried, nothing is lost. */
    final class RoutingUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public RoutingUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
